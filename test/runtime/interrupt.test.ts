import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { sigintExitCode } from "../../src/runtime/index.js";
import { hostPython } from "../support/host-python.js";
import { baseEnv, kilnBin, repoRoot, runCommand } from "./support.js";

// SIGINT while Python is busy, with stdin not a terminal: Python runs on the main thread then (a
// helper thread relays the signal), or in a worker with KILN_PYTHON_THREAD=worker. Either way the
// signal must raise KeyboardInterrupt at once, as in CPython, not wait for Python to finish.
const busy = String.raw`
import sys, time
try:
    # Inside the try: the signal may come while print() is still returning.
    print("ready", flush=True)
    if sys.argv[1] == "loop":
        while True:
            pass
    time.sleep(600)
except KeyboardInterrupt:
    print("caught", flush=True)
    if sys.argv[2] == "reraise":
        raise
    sys.exit(7)
`;

interface Interrupted {
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/**
 * How long a SIGINT may go without Python reacting before the test calls it lost and ends the
 * process, so that a lost ^C fails with its own message rather than at the test's timeout. Python
 * reacts within milliseconds; this is room for a loaded machine, not a measure of speed.
 */
const lostAfterMs = 30_000;

function lostMessage(what: string, outcome: { stdout: string; stderr: string }): string {
  return `${what} was lost: Python did not react within ${lostAfterMs / 1000} s and the process was killed.\nstdout: ${JSON.stringify(outcome.stdout)}\nstderr: ${outcome.stderr}`;
}

/** Runs `kiln run -c busy ARGS`, sends SIGINT once it has printed "ready", and waits for its end. */
function interruptWhenReady(args: string[], thread: string): Promise<Interrupted> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [kilnBin, "run", "-c", busy, ...args], {
      env: baseEnv({ KILN_PYTHON_THREAD: thread }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let lost = false;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on("data", (chunk: Buffer) => {
      // The whole line: with PYTHONUNBUFFERED, print() writes "ready" and "\n" apart, and a
      // signal between them is caught before the newline.
      const ready = !stdout.includes("ready\n");
      stdout += chunk.toString();
      if (ready && stdout.includes("ready\n")) {
        child.kill("SIGINT");
        timer = setTimeout(() => {
          lost = true;
          child.kill("SIGKILL");
        }, lostAfterMs);
      }
      if (stdout.includes("caught")) clearTimeout(timer);
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (status, signal) => {
      clearTimeout(timer);
      const outcome = { status, signal, stdout, stderr };
      if (lost) reject(new Error(lostMessage("The SIGINT sent at \"ready\"", outcome)));
      else resolve(outcome);
    });
  });
}

const cases = [
  { thread: "main", busy: "loop" },
  { thread: "main", busy: "sleep" },
  { thread: "worker", busy: "loop" },
  { thread: "worker", busy: "sleep" },
];

for (const { thread, busy: kind } of cases) {
  test(`SIGINT during a ${kind} on the ${thread} thread raises KeyboardInterrupt, caught`, async () => {
    const outcome = await interruptWhenReady([kind, "exit"], thread);
    assert.equal(outcome.stdout, "ready\ncaught\n", outcome.stderr);
    assert.equal(outcome.status, 7, outcome.stderr);
  });
}

test("SIGINT on the main thread, uncaught: a traceback, then the process dies by SIGINT as CPython's does", async () => {
  const outcome = await interruptWhenReady(["loop", "reraise"], "main");
  assert.equal(outcome.stdout, "ready\ncaught\n", outcome.stderr);
  assert.match(outcome.stderr, /KeyboardInterrupt/);
  assert.doesNotMatch(outcome.stderr, /DeprecationWarning/);
  assert.equal(outcome.signal, "SIGINT");
});

// Each SIGINT raises its own KeyboardInterrupt, however many come: Python catches one, says so,
// and loops again, and the test sends the next once it has heard. Many in one process make a
// rare loss (a store overwritten by the runtime's own poll, see interruptView) likely to show.
const series = String.raw`
import sys
caught = 0
while caught < int(sys.argv[1]):
    try:
        print(f"ready {caught}", flush=True)
        while True:
            pass
    except KeyboardInterrupt:
        caught += 1
print("done", flush=True)
`;

function interruptSeries(count: number, thread: string): Promise<Interrupted> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [kilnBin, "run", "-c", series, String(count)], {
      env: baseEnv({ KILN_PYTHON_THREAD: thread }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let sent = 0;
    let lost: number | undefined;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!stdout.endsWith(`ready ${sent}\n`) || sent === count) return;
      clearTimeout(timer);
      sent += 1;
      child.kill("SIGINT");
      timer = setTimeout(() => {
        lost = sent;
        child.kill("SIGKILL");
      }, lostAfterMs);
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (status, signal) => {
      clearTimeout(timer);
      const outcome = { status, signal, stdout, stderr };
      if (lost !== undefined) reject(new Error(lostMessage(`SIGINT ${lost} of ${count}`, { stdout: stdout.slice(-200), stderr })));
      else resolve(outcome);
    });
  });
}

for (const thread of ["main", "worker"]) {
  test(`200 SIGINTs in a row on the ${thread} thread each raise KeyboardInterrupt`, async () => {
    const count = 200;
    const outcome = await interruptSeries(count, thread);
    assert.equal(outcome.stdout.split("\n").at(-2), "done", outcome.stderr);
    assert.equal(outcome.status, 0, outcome.stderr);
  });
}

// A ^C that comes while the runtime starts is kept until Python runs, then ends the process by
// SIGINT before the program begins, as CPython's start-up does: never in the Python kiln runs for
// itself first (that was a "kiln crashed" traceback). Deterministic: the ^C is there from the start.
test("a SIGINT stored before Python starts ends the run by SIGINT before the program runs", () => {
  const script = `
import { createNodeRuntimeHost } from ${JSON.stringify(pathToFileURL(join(repoRoot, "dist", "platform", "node-runtime-host.js")).href)};
import { parsePythonCommandLine, runPythonMain } from ${JSON.stringify(pathToFileURL(join(repoRoot, "dist", "runtime", "index.js")).href)};
const interrupt = new Int32Array(new SharedArrayBuffer(4));
Atomics.store(interrupt, 0, 2);
const host = createNodeRuntimeHost({ env: process.env, cwd: process.cwd() });
const args = ["-c", "print('the program ran')"];
const code = await runPythonMain(host, { commandLine: parsePythonCommandLine(args), origArgv: ["python3", ...args], executable: process.execPath, interrupt });
process.stdout.write(JSON.stringify({ code }) + "\\n");
`;
  const outcome = runCommand(process.execPath, ["--input-type=module", "-e", script]);
  assert.equal(outcome.stdout, JSON.stringify({ code: sigintExitCode }) + "\n", outcome.stderr);
  assert.equal(outcome.status, 0, outcome.stderr);
});

const readsStdin = String.raw`
import sys
try:
    # Inside the try: the signal may come while print() is still returning.
    print("started", flush=True)
    input()
except KeyboardInterrupt:
    print("caught", flush=True)
    if sys.argv[1] == "reraise":
        raise
print(repr(sys.stdin.read()))
`;

interface StdinRun extends Interrupted {
  lost: boolean;
}

/**
 * Runs COMMAND `-c readsStdin ARG` with stdin a pipe that stays open, sends one SIGINT once it has
 * printed "started" (and a second `secondAfterMs` later when asked), writes "late\n" and ends stdin
 * once it has printed "caught", and waits for its end.
 */
function interruptReadingStdin(command: string[], options: { env: Record<string, string | undefined>; arg: string; secondAfterMs?: number }): Promise<StdinRun> {
  return new Promise((resolve, reject) => {
    // stdin a pipe, as a shell's `|` makes (Node's "pipe" is a socket pair): cat copies into it.
    // The program replaces bash, so that the SIGINT reaches it alone.
    const child = spawn("bash", ["-c", 'exec "$@" < <(exec cat)', "bash", ...command, "-c", readsStdin, options.arg], { env: options.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let lost = false;
    const timers: NodeJS.Timeout[] = [];
    child.stdin.on("error", () => undefined);
    child.stdout.on("data", (chunk: Buffer) => {
      const before = stdout;
      stdout += chunk.toString();
      if (!before.includes("started\n") && stdout.includes("started\n")) {
        child.kill("SIGINT");
        // Apart, so that the kernel does not merge them into one pending signal.
        if (options.secondAfterMs !== undefined) timers.push(setTimeout(() => child.kill("SIGINT"), options.secondAfterMs));
        timers.push(
          setTimeout(() => {
            lost = true;
            child.kill("SIGKILL");
          }, lostAfterMs),
        );
      }
      if (!before.includes("caught\n") && stdout.includes("caught\n")) child.stdin.end("late\n");
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (status, signal) => {
      for (const timer of timers) clearTimeout(timer);
      child.stdin.destroy();
      resolve({ status, signal, stdout, stderr, lost });
    });
  });
}

// Python blocked reading a pipe takes a ^C at once, as CPython does (its read fails with EINTR):
// KeyboardInterrupt is raised in input(), and no input is lost (what comes after is read next).
// Differential: the same program under the host's python3 gives the same outcome.
for (const [name, command, env] of [
  ["kiln, main thread", [process.execPath, kilnBin, "run"], baseEnv({ KILN_PYTHON_THREAD: "main" })],
  ["host python3", [hostPython], { ...process.env }],
] as const) {
  test(`SIGINT while Python is blocked reading a pipe raises KeyboardInterrupt (${name})`, async () => {
    const caught = await interruptReadingStdin([...command], { env, arg: "catch" });
    assert.ok(!caught.lost, lostMessage("The SIGINT", caught));
    assert.deepEqual([caught.status, caught.signal, caught.stdout], [0, null, "started\ncaught\n'late\\n'\n"], caught.stderr);
    const uncaught = await interruptReadingStdin([...command], { env, arg: "reraise" });
    assert.ok(!uncaught.lost, lostMessage("The SIGINT", uncaught));
    assert.equal(uncaught.signal, "SIGINT", `status ${uncaught.status}\n${uncaught.stderr}`);
    assert.match(uncaught.stderr, /^Traceback \(most recent call last\):\n[\s\S]*\nKeyboardInterrupt\n$/);
  });
}

// With Python in a worker (KILN_PYTHON_THREAD=worker, stdin not a terminal), its read of the pipe
// is still a blocking one that cannot take a ^C. A second ^C that finds the first still untaken
// ends the process by SIGINT rather than leaving it running.
test("a second SIGINT while Python is blocked reading stdin (worker thread) ends the process by SIGINT", async () => {
  const outcome = await interruptReadingStdin([process.execPath, kilnBin, "run"], { env: baseEnv({ KILN_PYTHON_THREAD: "worker" }), arg: "reraise", secondAfterMs: 500 });
  assert.ok(!outcome.lost, lostMessage("The second SIGINT", outcome));
  assert.equal(outcome.signal, "SIGINT", `status ${outcome.status}\n${outcome.stderr}`);
});
