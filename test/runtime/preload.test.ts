import { strict as assert } from "node:assert";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, test } from "node:test";
import { baseEnv, kiln, makeTree, runCommand, testCacheDir } from "./support.js";

// A venv process asked to preload (KILN_PRELOAD_MODULES, as kiln test sets it) starts from a
// snapshot taken after importing the modules in an earlier process of the same venv, only while
// that snapshot is true to the files, the environment and the search path.

let venv: string;
let sitePackages: string;

before(() => {
  venv = join(makeTree(), "venv");
  const created = kiln(["venv", venv, "--json"]);
  assert.equal(created.status, 0, created.stderr);
  sitePackages = JSON.parse(created.stdout).sitePackages;
  mkdirSync(join(sitePackages, "preloadme"), { recursive: true });
  writePackage("first");
});

/** The preloaded package: it records where it was imported from, a value and a variable it reads. */
function writePackage(value: string): void {
  writeFileSync(join(sitePackages, "preloadme", "__init__.py"), `import os\nVALUE = ${JSON.stringify(value)}\nPROBE = os.environ.get("PRELOAD_PROBE")\n`);
}

const report = "import sys, os, preloadme; print(preloadme.VALUE, preloadme.PROBE, preloadme.__file__, 'KILN_PRELOAD_MODULES' in os.environ)";

function run(options: { cwd?: string; env?: Record<string, string> } = {}): { line: string; debug: string } {
  const env = { ...baseEnv({ KILN_PRELOAD_MODULES: "preloadme", KILN_DEBUG: "1", ...options.env }) };
  const result = runCommand(join(venv, "bin", "python"), ["-c", report], { cwd: options.cwd ?? "/", env });
  assert.equal(result.status, 0, result.stderr);
  return { line: result.stdout.trim(), debug: result.stderr };
}

const fromPreload = /from preload snapshot/;
const saved = /Saved preload snapshot/;

function manifests(): string[] {
  const directory = join(testCacheDir, "snapshots");
  return readdirSync(directory)
    .filter((name) => name.endsWith(".manifest"))
    .map((name) => join(directory, name))
    .filter((path) => readFileSync(path, "utf8").includes(sitePackages));
}

test("the first process takes the preload snapshot, the next starts from it with the module imported from the venv", () => {
  const file = join(sitePackages, "preloadme", "__init__.py");
  const first = run();
  assert.match(first.debug, saved);
  assert.equal(first.line, `first None ${file} False`, "the variable is kiln's; Python never sees it");
  const second = run();
  assert.match(second.debug, fromPreload);
  assert.equal(second.line, `first None ${file} False`);
});

test("a preloaded module's file changed: the snapshot is not used, the new code runs, and the snapshot is taken again", () => {
  run();
  writePackage("second");
  const changed = run();
  assert.doesNotMatch(changed.debug, fromPreload);
  assert.match(changed.debug, /preloadme\/__init__\.py changed/);
  assert.match(changed.line, /^second /);
  const again = run();
  assert.match(again.debug, fromPreload);
  assert.match(again.line, /^second /);
});

test("a variable the imports read has another value: the snapshot is not used", () => {
  assert.match(run({ env: { PRELOAD_PROBE: "a" } }).debug, saved);
  assert.match(run({ env: { PRELOAD_PROBE: "a" } }).debug, fromPreload);
  const other = run({ env: { PRELOAD_PROBE: "b" } });
  assert.doesNotMatch(other.debug, fromPreload);
  assert.match(other.line, /^\w+ b /);
});

test("a module of the same name in the working directory shadows the preloaded one, as in a real start", () => {
  run();
  const cwd = makeTree({ "preloadme.py": "VALUE = 'shadow'\nPROBE = None\n" });
  const shadowed = run({ cwd });
  assert.doesNotMatch(shadowed.debug, fromPreload);
  assert.match(shadowed.debug, /would shadow a preloaded module/);
  assert.equal(shadowed.line, `shadow None ${join(cwd, "preloadme.py")} False`);
});

test("a corrupt manifest or snapshot is detected and both are taken again", () => {
  run();
  for (const path of manifests()) writeFileSync(path, "{ not json");
  const corrupt = run();
  assert.doesNotMatch(corrupt.debug, fromPreload);
  assert.match(corrupt.debug, saved);
  assert.match(run().debug, fromPreload);
  for (const path of manifests()) {
    const snapshot = path.replace(/\.manifest$/, "");
    const bytes = readFileSync(snapshot);
    for (let at = 5_000_000; at < bytes.length; at += 3_000_000) bytes[at] = bytes[at]! ^ 0xff;
    writeFileSync(snapshot, bytes);
  }
  const damaged = run();
  assert.doesNotMatch(damaged.debug, fromPreload);
  assert.match(damaged.line, /^\w+ None /);
  assert.match(run().debug, fromPreload);
});

/** A process of the venv asked to preload `module` (a package written into site-packages), running `code`. */
function runWith(module: string, code: string, env: Record<string, string> = {}): { line: string; debug: string } {
  const result = runCommand(join(venv, "bin", "python"), ["-c", code], { cwd: "/", env: baseEnv({ KILN_PRELOAD_MODULES: module, KILN_DEBUG: "1", ...env }) });
  assert.equal(result.status, 0, result.stderr);
  assert.doesNotMatch(result.stderr, /Cannot start from the memory snapshot/);
  return { line: result.stdout.trim(), debug: result.stderr };
}

test("standard-library modules imported before the process marks its start-up done are preloaded from the next snapshot on; later ones are not", () => {
  mkdirSync(join(sitePackages, "learnme"), { recursive: true });
  writeFileSync(join(sitePackages, "learnme", "__init__.py"), "import logging\n");
  // As kiln test's pytest plugin does after collection: mark, then the tests import more.
  const code = [
    "import sys, gc, logging, os, _kiln_main",
    "seen = ['fractions' in sys.modules, 'ipaddress' in sys.modules]",
    "import fractions",
    "_kiln_main.mark_preload_imports()",
    "import ipaddress",
    "print(seen, gc.get_freeze_count() > 0, logging._startTime >= int(os.environ['STARTED_NS']))",
  ].join("\n");
  const started = () => ({ STARTED_NS: String(BigInt(Date.now()) * 1_000_000n) });
  const first = runWith("learnme", code, started());
  assert.match(first.debug, saved);
  assert.match(first.debug, /Recorded \d+ standard-library modules imported beyond the preload/);
  assert.equal(first.line, "[False, False] True True");
  const second = runWith("learnme", code, started());
  assert.match(second.debug, /earlier runs imported \d+ more standard-library modules \(.*fractions/);
  assert.match(second.debug, saved);
  assert.equal(second.line, "[True, False] True True");
  const third = runWith("learnme", code, started());
  assert.match(third.debug, fromPreload);
  assert.doesNotMatch(third.debug, /Recorded/);
  // From the snapshot: the marked module is there, the later one is not; the collector skips what
  // the preload made; logging's start time is this process's.
  assert.equal(third.line, "[True, False] True True");
});

test("a preload snapshot larger than the runtime's initial memory is restored (the memory grown first)", () => {
  mkdirSync(join(sitePackages, "bigheap"), { recursive: true });
  writeFileSync(join(sitePackages, "bigheap", "__init__.py"), "BLOCK = bytearray(24 * 1024 * 1024)\nBLOCK[-1] = 7\n");
  const code = "import bigheap; print(len(bigheap.BLOCK), bigheap.BLOCK[-1])";
  assert.match(runWith("bigheap", code).debug, saved);
  const restored = runWith("bigheap", code);
  assert.match(restored.debug, fromPreload);
  assert.equal(restored.line, `${24 * 1024 * 1024} 7`);
});
