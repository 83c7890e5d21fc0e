import { strict as assert } from "node:assert";
import { existsSync, readdirSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { before, test } from "node:test";
import { createNodeRuntimeHost } from "../../src/platform/node-runtime-host.js";
import { ensureCompiledStdlib, startRuntime, type RuntimeHost } from "../../src/runtime/index.js";
import { baseEnv, kiln, makeTree, runCommand } from "./support.js";

// One cache of its own for this file: the cases run in order, each building on what the previous did.
let host: RuntimeHost & { cacheDir: string };
let outcome: string;
let fromSnapshotBefore: boolean;

const probe = String.raw`
import argparse, inspect, json, traceback
try:
    json.loads("{")
except ValueError:
    trace = traceback.format_exc()
(argparse.__spec__.origin, json.loads.__code__.co_filename, inspect.getsource(json.dumps).split("(")[0], trace.count("~~~~~^^^") > 0 and "raw_decode(s, idx" in trace)
`;

before(async () => {
  host = createNodeRuntimeHost({ cacheDir: join(makeTree(), "cache") });
  // A snapshot of the runtime as it starts without a compiled standard library...
  await startRuntime(host);
  outcome = await ensureCompiledStdlib(host);
  // ...is not the one a start with the compiled archive may use (it indexes another archive).
  fromSnapshotBefore = (await startRuntime(host)).fromSnapshot;
});

test("the standard library is compiled once per runtime build and found by later starts", async () => {
  assert.equal(outcome, "compiled");
  assert.deepEqual(readdirSync(join(host.cacheDir, "stdlib")).filter((name) => name.endsWith(".zip")).length, 1);
  assert.ok((await host.locateRuntime({ kind: "bundled" })).stdlib, "locateRuntime names the compiled archive");
  assert.equal(await ensureCompiledStdlib(host), "present");
  assert.equal(fromSnapshotBefore, false, "the snapshot made with the runtime's own archive is not restored");
  assert.equal((await startRuntime(host)).fromSnapshot, true);
});

test("modules load from bytecode; tracebacks and inspect still show their source", async () => {
  const runtime = await startRuntime(host);
  const [origin, filename, source, traced] = (runtime.runPython(probe) as { toJs(): unknown[] }).toJs();
  assert.match(String(origin), /^\/lib\/python3\d+\.zip\/argparse\.pyc$/);
  // The same file name as when zipimport compiles the module from source.
  assert.match(String(filename), /^\/lib\/python3\d+\.zip\/json\/__init__\.py$/);
  assert.equal(source, "def dumps");
  assert.equal(traced, true);
});

test("a damaged compiled archive is dropped: the runtime's own is used, and the next venv compiles it again", async () => {
  const [name] = readdirSync(join(host.cacheDir, "stdlib")).filter((entry) => entry.endsWith(".zip"));
  const path = join(host.cacheDir, "stdlib", name!);
  truncateSync(path, 1_000_000);
  const files = await host.locateRuntime({ kind: "bundled" });
  assert.equal(files.stdlib, undefined);
  assert.equal(existsSync(path), false);
  const runtime = await startRuntime(host);
  assert.match(String(runtime.runPython("import argparse; argparse.__spec__.origin")), /argparse\.py$/);
  const venv = join(makeTree(), "venv");
  const created = kiln(["venv", venv], { env: baseEnv({ KILN_CACHE_DIR: host.cacheDir }) });
  assert.equal(created.status, 0, created.stderr);
  assert.match(created.stderr + created.stdout, /Byte-compiling the standard library/);
  assert.ok(existsSync(path));
  const result = runCommand(join(venv, "bin", "python"), ["-c", "import argparse; print(argparse.__spec__.origin)"], { env: baseEnv({ KILN_CACHE_DIR: host.cacheDir }) });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /argparse\.pyc$/m);
});

test("kiln run without a venv compiles the standard library on its first run, and builds one snapshot, for it", () => {
  const env = baseEnv({ KILN_CACHE_DIR: join(makeTree(), "cache"), KILN_DEBUG: "1" });
  const script = "import argparse; print(argparse.__spec__.origin)";
  const first = kiln(["run", "-c", script], { env });
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /argparse\.pyc$/m, "the first run already imports from bytecode");
  const stdlib = readdirSync(join(env.KILN_CACHE_DIR!, "stdlib"));
  assert.equal(stdlib.length, 1, stdlib.join(" "));
  assert.match(stdlib[0]!, /^stdlib-[0-9a-f]+\.zip$/, "one archive, no claim file left");
  const later = kiln(["run", "-c", script], { env });
  assert.match(later.stdout, /argparse\.pyc$/m);
  assert.match(later.stderr, /from memory snapshot/);
  assert.doesNotMatch(later.stderr, /Byte-compil/);
  assert.equal(readdirSync(join(env.KILN_CACHE_DIR!, "snapshots")).length, 1, "the first run's snapshot is the one later runs use");
});

test("kiln run -B, or with PYTHONDONTWRITEBYTECODE set, writes no __pycache__, as CPython writes no .pyc, but still compiles the runtime's standard library into the cache (as a CPython installation's comes compiled)", () => {
  const cwd = makeTree({ "local_module.py": "VALUE = 1\n" });
  const script = "import argparse, local_module; print(argparse.__spec__.origin)";
  let cacheDir = "";
  for (const [args, extra] of [[["-B"], {}], [[], { PYTHONDONTWRITEBYTECODE: "1" }]] as const) {
    // A cache of its own for each: the first run in it is the one that compiles.
    cacheDir = join(makeTree(), "cache");
    const env = baseEnv({ KILN_CACHE_DIR: cacheDir });
    const compiled = () => (existsSync(join(env.KILN_CACHE_DIR!, "stdlib")) ? readdirSync(join(env.KILN_CACHE_DIR!, "stdlib")) : []);
    const result = kiln(["run", ...args, "-c", script], { cwd, env: { ...env, ...extra } });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /argparse\.pyc$/m, "the standard library is imported compiled");
    assert.equal(compiled().length, 1, `${args.join(" ")} ${JSON.stringify(extra)}: ${compiled().join(" ")}`);
    assert.equal(existsSync(join(cwd, "__pycache__")), false, "no bytecode written beside the user's module");
  }
  const written = kiln(["run", "-c", script], { cwd, env: baseEnv({ KILN_CACHE_DIR: cacheDir }) });
  assert.equal(written.status, 0, written.stderr);
  assert.equal(existsSync(join(cwd, "__pycache__")), true, "without -B the user's module is compiled beside it");
});
