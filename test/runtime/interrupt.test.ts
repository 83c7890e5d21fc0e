import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { baseEnv, kilnBin } from "./support.js";

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

/** Runs `kiln run -c busy ARGS`, sends SIGINT once it has printed "ready", and waits for its end. */
function interruptWhenReady(args: string[], thread: string): Promise<Interrupted> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [kilnBin, "run", "-c", busy, ...args], {
      env: baseEnv({ KILN_PYTHON_THREAD: thread }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.stdout.on("data", (chunk: Buffer) => {
      const ready = !stdout.includes("ready");
      stdout += chunk.toString();
      if (ready && stdout.includes("ready")) child.kill("SIGINT");
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
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
