import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, test } from "node:test";
import { hostPython } from "../support/host-python.js";
import { baseEnv, kiln, kilnBin, makeTree } from "./support.js";

// O_NONBLOCK is a flag of an open file, seen by every process that shares it: a pipe made
// non-blocking by kiln makes another writer of the same pipe fail with EAGAIN (`{ kiln run … &
// head -c 10000000 /dev/zero; } | slow-reader`: head wrote 65536 bytes and failed) or a reader of
// the same stdin. Node does it to descriptors 0, 1 and 2 when it makes process.stdin, stdout or
// stderr; python3 never does. Differential: the flags of the process's descriptors while Python
// runs, under kiln and under the host's python3.
const program = String.raw`
import sys
print("ready", flush=True)
sys.stdin.read()
`;

type Stdio = "pipes" | "sockets";

/** The O_NONBLOCK flag (octal 4000) of descriptors 0, 1 and 2 of COMMAND -c program once it printed "ready". */
function flagsWhileRunning(command: string[], options: { env: Record<string, string | undefined>; stdio: Stdio }): Promise<{ nonBlocking: boolean[]; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Pipes as a shell makes them (the program replaces bash); sockets as Node's spawn makes them.
    const child =
      options.stdio === "pipes"
        ? spawn("bash", ["-c", 'exec "$@" < <(exec cat) > >(exec cat) 2> >(exec cat >&2)', "bash", ...command, "-c", program], { env: options.env, stdio: ["pipe", "pipe", "pipe"] })
        : spawn(command[0]!, [...command.slice(1), "-c", program], { env: options.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let nonBlocking: boolean[] = [];
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (nonBlocking.length || !stdout.includes("ready\n")) return;
      nonBlocking = [0, 1, 2].map((fd) => (parseInt(/^flags:\s+([0-7]+)$/m.exec(readFileSync(`/proc/${child.pid}/fdinfo/${fd}`, "utf8"))![1]!, 8) & 0o4000) !== 0);
      child.stdin.end();
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", () => resolve({ nonBlocking, stdout, stderr }));
  });
}

// A venv's bin/python starts through its own launcher (node-venv-launcher).
const venvPython = join(makeTree(), "venv", "bin", "python");
before(() => {
  const created = kiln(["venv", join(venvPython, "..", "..")]);
  assert.equal(created.status, 0, created.stderr);
});

const runners = [
  ["kiln run, main thread", [process.execPath, kilnBin, "run"], baseEnv({ KILN_PYTHON_THREAD: "main" })],
  ["kiln run, worker thread", [process.execPath, kilnBin, "run"], baseEnv({ KILN_PYTHON_THREAD: "worker" })],
  ["a venv's bin/python", [venvPython], baseEnv()],
  ["host python3", [hostPython], { ...process.env }],
] as const;

for (const stdio of ["pipes", "sockets"] as const) {
  for (const [name, command, env] of runners) {
    test(`stdin, stdout and stderr ${stdio} are left blocking while Python runs (${name})`, { skip: process.platform !== "linux" && "Linux only (/proc)" }, async () => {
      const outcome = await flagsWhileRunning([...command], { env, stdio });
      assert.equal(outcome.stdout, "ready\n", outcome.stderr);
      assert.deepEqual(outcome.nonBlocking, [false, false, false]);
    });
  }
}
