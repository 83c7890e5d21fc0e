import { strict as assert } from "node:assert";
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
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

/** Runs `kiln run -c busy ARGS` (or COMMAND `-c busy ARGS`), sends SIGINT once it has printed "ready", and waits for its end. */
function interruptWhenReady(args: string[], thread: string, command: string[] = [process.execPath, kilnBin, "run"]): Promise<Interrupted> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, [...command.slice(1), "-c", busy, ...args], {
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

// The traceback of a ^C in time.sleep() ends at the call, as CPython's (whose sleep is a C
// function): none of kiln's stand-in for it, nor Pyodide's frames below that. A SIGINT that comes
// before the sleep (while print() returns) is caught and the program tries again, so that the
// traceback compared is always that of a ^C in the sleep.
const sleepsUntilInterrupted = String.raw`
import time
while True:
    try:
        print("ready", flush=True)
        time.sleep(600)
    except KeyboardInterrupt as error:
        if error.__traceback__.tb_lineno == 6:
            raise
`;

/** Runs COMMAND `-c sleepsUntilInterrupted`, sending SIGINT at each "ready", and waits for its end. */
function interruptSleep(command: string[], env: Record<string, string | undefined>): Promise<Interrupted> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, [...command.slice(1), "-c", sleepsUntilInterrupted], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const ready = stdout.split("ready\n").length - 1;
      for (; sent < ready; sent++) child.kill("SIGINT");
      clearTimeout(timer);
      timer = setTimeout(() => child.kill("SIGKILL"), lostAfterMs);
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

for (const thread of ["main", "worker"]) {
  test(`SIGINT during a sleep on the ${thread} thread, uncaught: the traceback's frames are python3's`, async () => {
    const frames = (stderr: string) => stderr.split("\n").filter((line) => /^ {2}File |^\w*(Error|Interrupt)/.test(line));
    const kiln = await interruptSleep([process.execPath, kilnBin, "run"], baseEnv({ KILN_PYTHON_THREAD: thread }));
    const host = await interruptSleep([hostPython], { ...process.env });
    assert.equal(kiln.signal, "SIGINT", kiln.stderr);
    assert.deepEqual(frames(host.stderr), ['  File "<string>", line 6, in <module>', "KeyboardInterrupt"], host.stderr);
    assert.deepEqual(frames(kiln.stderr), frames(host.stderr), kiln.stderr);
  });
}

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
# A first line, there from the start: stdin has been read once before "started" (a socket's
# kind of read is chosen at the first).
sys.stdin.readline()
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

/**
 * How the program's stdin is made: "pipe", as a shell's `|` makes; "socket", as Node's `spawn`
 * makes for stdio "pipe" (a socket pair); "shared socket", the same socket also held by the shell
 * that started the program (`PROGRAM; cat`), which reads it after the program ends.
 */
type StdinKind = "pipe" | "socket" | "shared socket";

interface StdinRun extends Interrupted {
  lost: boolean;
  /** Whether the reading process's descriptor 0 was non-blocking when the first SIGINT was sent. */
  nonBlocking: boolean | undefined;
}

const linux = process.platform === "linux";

/** The process that runs the program: the child itself, or its shell's one child (Linux). */
function readerPid(child: ChildProcess, stdin: StdinKind): number | undefined {
  if (stdin !== "shared socket") return child.pid;
  if (!linux || child.pid === undefined) return undefined;
  const children = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim().split(/\s+/);
  return children.length === 1 ? Number(children[0]) : undefined;
}

/**
 * Waits (up to 5 s) until a thread of the process is blocked in a read of its descriptor 0, as
 * `/proc/PID/task/TID/syscall` shows (Linux; the read system call's number on x86-64 and arm64).
 * Returns at once where that cannot be seen.
 */
function waitUntilReadingStdin(pid: number | undefined): void {
  const read = { x64: "0", arm64: "63" }[process.arch as string];
  if (!linux || pid === undefined || read === undefined) return;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (const deadline = Date.now() + 5000; Date.now() < deadline; Atomics.wait(pause, 0, 0, 2)) {
    try {
      for (const task of readdirSync(`/proc/${pid}/task`)) {
        const [number, descriptor] = readFileSync(`/proc/${pid}/task/${task}/syscall`, "utf8").split(" ");
        if (number === read && descriptor === "0x0") return;
      }
    } catch {
      return;
    }
  }
}

/** Whether O_NONBLOCK (octal 4000) is set on the open file of the process's descriptor 0 (Linux). */
function descriptorZeroNonBlocking(pid: number | undefined): boolean | undefined {
  if (!linux || pid === undefined) return undefined;
  const flags = /^flags:\s+([0-7]+)$/m.exec(readFileSync(`/proc/${pid}/fdinfo/0`, "utf8"))?.[1];
  return flags === undefined ? undefined : (parseInt(flags, 8) & 0o4000) !== 0;
}

/**
 * Runs COMMAND `-c readsStdin ARG` with stdin that stays open (see {@link StdinKind}) and holds
 * a first line, sends one
 * SIGINT to the program once it has printed "started" (and a second `secondAfterMs` later when
 * asked), writes "late\n" and ends stdin once it has printed "caught" (for a shared socket, ends
 * it once the shell reported the program's status), and waits for its end (for a shared socket,
 * the shell's: its stdout then ends with the program's status).
 */
function interruptReadingStdin(command: string[], options: { env: Record<string, string | undefined>; arg: string; stdin: StdinKind; secondAfterMs?: number }): Promise<StdinRun> {
  return new Promise((resolve, reject) => {
    // The program replaces bash (but for a shared socket), so that the SIGINT reaches it alone.
    const script = { pipe: 'exec "$@" < <(exec cat)', socket: 'exec "$@"', "shared socket": '"$@"; echo "status $?"; exec cat >/dev/null' }[options.stdin];
    const child = spawn("bash", ["-c", script, "bash", ...command, "-c", readsStdin, options.arg], { env: options.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let lost = false;
    let nonBlocking: boolean | undefined;
    let reader: number | undefined;
    const timers: NodeJS.Timeout[] = [];
    child.stdin.on("error", () => undefined);
    child.stdin.write("first\n");
    child.stdout.on("data", (chunk: Buffer) => {
      const before = stdout;
      stdout += chunk.toString();
      if (!before.includes("started\n") && stdout.includes("started\n")) {
        reader = readerPid(child, options.stdin);
        nonBlocking = descriptorZeroNonBlocking(reader);
        // A shared socket's read cannot take the first ^C: it must find Python inside that read,
        // not still returning from print() (where it would raise KeyboardInterrupt, as CPython does).
        if (options.stdin === "shared socket") waitUntilReadingStdin(reader);
        if (reader !== undefined) process.kill(reader, "SIGINT");
        // Apart, so that the kernel does not merge them into one pending signal.
        if (options.secondAfterMs !== undefined) timers.push(setTimeout(() => reader !== undefined && process.kill(reader, "SIGINT"), options.secondAfterMs));
        timers.push(
          setTimeout(() => {
            lost = true;
            child.kill("SIGKILL");
            if (reader !== undefined && reader !== child.pid) process.kill(reader, "SIGKILL");
          }, lostAfterMs),
        );
      }
      // The shell reports the program's end (a shared socket): its next reader, cat, may end.
      if (!before.includes("caught\n") && stdout.includes("caught\n")) child.stdin.end("late\n");
      else if (!before.includes("status ") && stdout.includes("status ")) child.stdin.end();
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (status, signal) => {
      for (const timer of timers) clearTimeout(timer);
      child.stdin.destroy();
      resolve({ status, signal, stdout, stderr, lost, nonBlocking });
    });
  });
}

const readers = [
  ["kiln, main thread", [process.execPath, kilnBin, "run"], baseEnv({ KILN_PYTHON_THREAD: "main" })],
  ["kiln, worker thread", [process.execPath, kilnBin, "run"], baseEnv({ KILN_PYTHON_THREAD: "worker" })],
  ["host python3", [hostPython], { ...process.env }],
] as const;

// Python blocked reading a pipe, or a socket it alone holds, takes a ^C at once, as CPython does
// (its read fails with EINTR): KeyboardInterrupt is raised in input(), and no input is lost (what
// comes after is read next). Differential: the same program under the host's python3 gives the
// same outcome. The inherited pipe stays blocking (kiln reads a descriptor of its own).
for (const stdin of ["pipe", "socket"] as const) {
  for (const [name, command, env] of readers) {
    test(`SIGINT while Python is blocked reading a ${stdin} raises KeyboardInterrupt (${name})`, { skip: !linux && name !== "host python3" && "Linux only" }, async () => {
      const caught = await interruptReadingStdin([...command], { env, arg: "catch", stdin });
      assert.ok(!caught.lost, lostMessage("The SIGINT", caught));
      assert.deepEqual([caught.status, caught.signal, caught.stdout], [0, null, "started\ncaught\n'late\\n'\n"], caught.stderr);
      if (stdin === "pipe") assert.notEqual(caught.nonBlocking, true, "the inherited pipe was made non-blocking");
      const uncaught = await interruptReadingStdin([...command], { env, arg: "reraise", stdin });
      assert.ok(!uncaught.lost, lostMessage("The SIGINT", uncaught));
      assert.equal(uncaught.signal, "SIGINT", `status ${uncaught.status}\n${uncaught.stderr}`);
      assert.match(uncaught.stderr, /^Traceback \(most recent call last\):\n[\s\S]*\nKeyboardInterrupt\n$/);
    });
  }
}

// A socket that another process also holds (here the shell, which reads it next) is never made
// non-blocking: that process would see its reads fail with EAGAIN. Python's read of it then
// blocks and cannot take a ^C (python3's can: it is not shared); a second ^C that finds the first
// still untaken ends the process by SIGINT rather than leaving it running.
for (const [name, command, env] of readers.slice(0, 2)) {
  test(`a socket on stdin shared with another process stays blocking; a second SIGINT ends the process (${name})`, { skip: !linux && "Linux only" }, async () => {
    const outcome = await interruptReadingStdin([...command], { env, arg: "reraise", stdin: "shared socket", secondAfterMs: 500 });
    assert.ok(!outcome.lost, lostMessage("The second SIGINT", outcome));
    assert.equal(outcome.nonBlocking, false);
    // "caught" when the first SIGINT came before the blocking read (while print() returned).
    assert.match(outcome.stdout, /^started\n(caught\n)?status 130\n$/, outcome.stderr);
    assert.equal(outcome.status, 0, outcome.stderr);
  });
}
