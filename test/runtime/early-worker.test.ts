import { strict as assert } from "node:assert";
import { join } from "node:path";
import { test } from "node:test";
import { baseEnv, kiln, makeTree, runCommand } from "./support.js";

// With Python in a worker (stdin a terminal; KILN_PYTHON_THREAD=worker here), the worker starts
// with the process, before kiln's modules load, and is handed the run when kiln knows it.

const adopted = /Python runs in the worker started with the process/;

test("kiln run and a venv's bin/python run Python in the worker started with the process", () => {
  const env = baseEnv({ KILN_PYTHON_THREAD: "worker", KILN_DEBUG: "1" });
  const run = kiln(["run", "-c", "import sys; print(sys.argv[1:]); sys.exit(3)", "a", "b"], { env });
  assert.deepEqual([run.status, run.stdout], [3, "['a', 'b']\n"], run.stderr);
  assert.match(run.stderr, adopted);

  const venv = join(makeTree(), "venv");
  assert.equal(kiln(["venv", venv]).status, 0);
  const python = runCommand(join(venv, "bin", "python"), ["-c", "import sys; print(sys.prefix == sys.argv[1])", venv], { env });
  assert.deepEqual([python.status, python.stdout], [0, "True\n"], python.stderr);
  assert.match(python.stderr, adopted);
});

test("a process that runs no Python in its worker ends the early one: a host module, a usage error", () => {
  const env = baseEnv({ KILN_PYTHON_THREAD: "worker" });
  const pip = kiln(["run", "-m", "pip", "--version"], { env, timeoutMs: 60_000 });
  assert.equal(pip.status, 0, pip.stderr);
  assert.match(pip.stdout, /^pip /);
  const usage = kiln(["run", "-Z"], { env, timeoutMs: 60_000 });
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /Unknown option: -Z/);
});
