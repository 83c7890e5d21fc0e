import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

// tsx as a loader in the child itself (its CLI would run the script in a further child, on a stdin of its own).
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const stdioModule = fileURLToPath(new URL("./node-stdio.ts", import.meta.url));

/**
 * Runs, in a child whose stdin is a pipe fed by `feed` (a shell command), a NodeStdio with
 * interruptible reads doing `reads` (buffer sizes; "interrupt" stores a ^C first; "mark" creates
 * the file $KILN_TEST_MARK, which the feed may wait for), and returns
 * what each read gave: the bytes as text, "EOF", or the error code.
 */
function readThroughPipe(feed: string, reads: Step[]): { enabled: boolean; results: string[] } {
  const script = `
import { writeFileSync } from "node:fs";
import { NodeStdio } from ${JSON.stringify(stdioModule)};
const interrupt = new Int32Array(new SharedArrayBuffer(4));
const stdio = new NodeStdio();
const enabled = stdio.interruptReadsWith(interrupt);
const results = [];
for (const step of ${JSON.stringify(reads)}) {
  if (step === "interrupt") { Atomics.store(interrupt, 0, 2); continue; }
  if (step === "mark") { writeFileSync(process.env.KILN_TEST_MARK, ""); continue; }
  try {
    const buffer = new Uint8Array(step);
    const count = stdio.read(0, buffer);
    results.push(count === 0 ? "EOF" : new TextDecoder().decode(buffer.subarray(0, count)));
  } catch (error) {
    results.push(error.code);
    Atomics.store(interrupt, 0, 0);
  }
}
process.stdout.write(JSON.stringify({ enabled, results }));
`;
  const markDir = mkdtempSync(join(tmpdir(), "kiln-stdio-"));
  const outcome = spawnSync("bash", ["-c", `{ ${feed}; } | exec "$@"`, "bash", process.execPath, "--import", "tsx", "--input-type=module", "-e", script], {
    encoding: "utf8",
    cwd: repoRoot,
    env: { ...process.env, KILN_TEST_MARK: join(markDir, "mark") },
  });
  rmSync(markDir, { recursive: true, force: true });
  assert.equal(outcome.status, 0, outcome.stderr);
  return JSON.parse(outcome.stdout) as { enabled: boolean; results: string[] };
}

const linux = process.platform === "linux";

type Step = number | "interrupt" | "mark";

// Data the feed sends only once the child has marked can only come after the reads before the mark.
const afterMark = 'until [ -e "$KILN_TEST_MARK" ]; do sleep 0.02; done';

const cases: { name: string; feed: string; reads: Step[]; results: string[] }[] = [
  { name: "partial reads of what is there, then end of file", feed: "printf 'a\\nbcdef'", reads: [1, 100, 5], results: ["a", "\nbcdef", "EOF"] },
  { name: "a read that waits for data gets it", feed: "(sleep 0.3; printf late)", reads: [10, 10], results: ["late", "EOF"] },
  { name: "a ^C pending while data is there: the data, as CPython's read", feed: "printf ab; sleep 0.3", reads: ["interrupt", 1, 1], results: ["a", "b"] },
  { name: "a ^C while waiting: EINTR, and the data that comes later is read next", feed: `${afterMark}; printf late`, reads: ["interrupt", 10, "mark", 10, 10], results: ["EINTR", "late", "EOF"] },
];

for (const { name, feed, reads, results } of cases) {
  test(`NodeStdio, interruptible read of a pipe: ${name}`, { skip: !linux && "Linux only (elsewhere reads stay blocking)" }, () => {
    assert.deepEqual(readThroughPipe(feed, reads), { enabled: true, results });
  });
}

test("NodeStdio: a device on stdin (/dev/null) is not read interruptibly (it never blocks)", { skip: !linux && "Linux only" }, () => {
  const script = `import { NodeStdio } from ${JSON.stringify(stdioModule)};
process.stdout.write(String(new NodeStdio().interruptReadsWith(new Int32Array(new SharedArrayBuffer(4)))));`;
  const outcome = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  assert.equal(outcome.stdout, "false", outcome.stderr);
});
