import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const holdersModule = fileURLToPath(new URL("./node-descriptor-holders.ts", import.meta.url));

/** Runs `heldByAnotherProcess(0)` in a Node child started by `bash -c SCRIPT` on a socket stdin (spawnSync's "pipe"). */
function heldInChild(script: string): string {
  const program = `import { heldByAnotherProcess } from ${JSON.stringify(holdersModule)};
process.stdout.write(String(heldByAnotherProcess(0)));`;
  const outcome = spawnSync("bash", ["-c", script, "bash", process.execPath, "--import", "tsx", "--input-type=module", "-e", program], {
    encoding: "utf8",
    cwd: repoRoot,
    input: "",
    stdio: ["pipe", "pipe", "pipe"],
  });
  assert.equal(outcome.status, 0, outcome.stderr);
  return outcome.stdout;
}

const cases = [
  // bash replaced by the program: the spawner holds only the socket's other end.
  { name: "a socket this process alone holds", script: 'exec "$@"', held: "false" },
  // bash waits for the program with the same socket as its own stdin.
  { name: "a socket its shell also holds", script: '"$@"; exit $?', held: "true" },
];

for (const { name, script, held } of cases) {
  test(`heldByAnotherProcess: ${name}`, { skip: process.platform !== "linux" && "Linux only (/proc)" }, () => {
    assert.equal(heldInChild(script), held);
  });
}
