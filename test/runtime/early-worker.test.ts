import { strict as assert } from "node:assert";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { baseEnv, kiln, makeTree, repoRoot, runCommand } from "./support.js";

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

test("the start helper and the Python worker run from their bundles through the code cache: kept once, then used; a damaged cache is rewritten", { skip: !existsSync(join(repoRoot, "dist", "bundle", "node-python-worker.cjs")) && "dist/bundle is not built (npm run build)" }, () => {
  const workerCaches = (stderr: string) => [...stderr.matchAll(/kiln: worker code cache ([a-z-]+): (\S+)/g)].map((match) => ({ outcome: match[1]!, path: match[2]! }));
  for (const thread of ["main", "worker"]) {
    const env = baseEnv({ KILN_PYTHON_THREAD: thread, KILN_DEBUG_CODE_CACHE: "1" });
    const runs: Array<ReturnType<typeof kiln>> = [];
    for (const round of [0, 1, 2]) {
      if (round === 2) {
        const [kept] = workerCaches(runs[1]!.stderr);
        writeFileSync(kept!.path, readFileSync(kept!.path).subarray(0, 64));
      }
      // Python runs a little: the helper keeps its code once its preparation is done, beside Python.
      const result = kiln(["run", "-c", "import sys; sum(range(10**6)); print(sys.argv[1:]); sys.exit(4)", "x"], { env });
      assert.deepEqual([result.status, result.stdout], [4, "['x']\n"], `${thread}, run ${round}: ${result.stderr}`);
      runs.push(result);
    }
    // One thread from a bundle: the start helper beside Python on the main thread, or Python's worker.
    assert.deepEqual(workerCaches(runs[1]!.stderr).map(({ outcome }) => outcome), ["used"], `${thread}: ${runs[1]!.stderr}`);
    assert.deepEqual(workerCaches(runs[2]!.stderr).map(({ outcome }) => outcome), ["damaged-and-written"], `${thread}: ${runs[2]!.stderr}`);
    assert.match(workerCaches(runs[1]!.stderr)[0]!.path, /code-cache-v1\/[0-9a-f]{64}\.bin$/);
  }
});
