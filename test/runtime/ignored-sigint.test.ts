import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, test } from "node:test";
import { hostPython } from "../support/host-python.js";
import { baseEnv, kiln, makeTree } from "./support.js";

// A SIGINT ignored when Python starts (a background job of a non-interactive shell: `sh -c
// 'python script.py &'`) stays ignored, as CPython leaves it: signal.getsignal(SIGINT) is SIG_IGN
// and a ^C does nothing. Node resets every signal before kiln runs, so a venv's bin/python (a
// shell launcher) is what can see it. Differential: the same program under the host's python3.
const program = String.raw`
import os, signal, sys, time
print("ignored", signal.getsignal(signal.SIGINT) == signal.SIG_IGN, "KILN_SIGINT_IGNORED" in os.environ, flush=True)
print("ready", flush=True)
while not os.path.exists(sys.argv[1]):
    pass
# Room for a ^C that was not ignored to be raised (kiln relays it from another thread).
time.sleep(0.5)
print("done", flush=True)
`;

let venvPython: string;
before(() => {
  const venv = join(makeTree(), "venv");
  const created = kiln(["venv", venv]);
  assert.equal(created.status, 0, created.stderr);
  venvPython = join(venv, "bin", "python");
});

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `sh -c SCRIPT sh PYTHON -c program FLAG` (the shell's one child runs Python), sends that
 * child SIGINT once it has printed "ready", then creates FLAG, and waits for the shell's end.
 */
function interruptUnderShell(script: string, python: string, env: Record<string, string | undefined>): Promise<Outcome> {
  const flag = join(makeTree(), "flag");
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", script, "sh", python, "-c", program, flag], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      const before = stdout;
      stdout += chunk.toString();
      if (before.includes("ready\n") || !stdout.includes("ready\n")) return;
      const children = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim().split(/\s+/);
      assert.equal(children.length, 1);
      process.kill(Number(children[0]), "SIGINT");
      if (!existsSync(flag)) writeFileSync(flag, "");
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const cases: { name: string; script: string; env: Record<string, string>; stdout: { kiln: string; host: string } }[] = [
  {
    name: "a background job of a non-interactive shell: ignored, ^C does nothing",
    script: '"$@" & wait $!; echo "status $?"',
    env: {},
    stdout: { kiln: "ignored True False\nready\ndone\nstatus 0\n", host: "ignored True False\nready\ndone\nstatus 0\n" },
  },
  {
    // The launcher sets the variable anew: one inherited from outside is not taken for its own
    // (and, kiln's, is not in Python's os.environ; python3 has it as any other variable).
    name: "a foreground job, KILN_SIGINT_IGNORED=1 inherited: not ignored, ^C raises KeyboardInterrupt",
    script: '"$@"; echo "status $?"',
    env: { KILN_SIGINT_IGNORED: "1" },
    stdout: { kiln: "ignored False False\nready\nstatus 130\n", host: "ignored False True\nready\nstatus 130\n" },
  },
];

for (const { name, script, env, stdout } of cases) {
  for (const which of ["kiln venv bin/python", "host python3"]) {
    test(`SIGINT at the start, ${name} (${which})`, { skip: process.platform !== "linux" && "Linux only (the launcher reads /proc)" }, async () => {
      const python = which === "host python3" ? hostPython : venvPython;
      const outcome = await interruptUnderShell(script, python, which === "host python3" ? { ...process.env, ...env } : baseEnv(env));
      assert.equal(outcome.stdout, which === "host python3" ? stdout.host : stdout.kiln, outcome.stderr);
      assert.equal(outcome.status, 0, outcome.stderr);
    });
  }
}
