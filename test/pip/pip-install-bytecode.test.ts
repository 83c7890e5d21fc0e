import { strict as assert } from "node:assert";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, test } from "node:test";
import { baseEnv, kiln, makeTree, runCommand } from "../runtime/support.js";
import { buildWheel } from "../support/wheel-builder.js";

// A wheel no earlier run can have compiled: its module's source is new every run.
const marker = `v${process.pid}_${Date.now()}`;
let wheel: string;

before(() => {
  const root = makeTree();
  wheel = join(root, "bytecodedemo-1.0-py3-none-any.whl");
  writeFileSync(wheel, buildWheel("bytecodedemo-1.0-py3-none-any.whl", {
    "bytecodedemo/__init__.py": `VALUE = "${marker}"\n`,
    "bytecodedemo/broken.py": "def (:\n",
  }));
});

function freshVenv(): string {
  const venv = join(makeTree(), "venv");
  assert.equal(kiln(["venv", venv]).status, 0);
  return venv;
}

function install(venv: string, extra: string[] = [], env: Record<string, string> = {}) {
  const result = kiln(["pip", "install", "-v", "--python", venv, wheel, ...extra], { env: baseEnv(env) });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout + result.stderr;
}

function pycOf(venv: string, module: string): string {
  const result = runCommand(join(venv, "bin", "python"), ["-c", `import importlib.util, sys; print(importlib.util.cache_from_source(sys.argv[1]))`, join(sitePackages(venv), "bytecodedemo", `${module}.py`)], { env: baseEnv() });
  return result.stdout.trim();
}

function sitePackages(venv: string): string {
  const result = runCommand(join(venv, "bin", "python"), ["-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], { env: baseEnv() });
  return result.stdout.trim();
}

/** Imports the module the way a user would (bytecode writing allowed) and says whether Python rewrote its .pyc. */
function importRewrites(venv: string, pyc: string): boolean {
  const before = statSync(pyc);
  const result = runCommand(join(venv, "bin", "python"), ["-c", "import bytecodedemo; print(bytecodedemo.VALUE)"], { env: baseEnv() });
  assert.equal(result.stdout.trim(), marker, result.stderr);
  const after = statSync(pyc);
  return before.ino !== after.ino || before.mtimeMs !== after.mtimeMs;
}

test("pip install byte-compiles what it installs, as pip does; a module that does not compile is left alone", () => {
  const venv = freshVenv();
  const output = install(venv);
  assert.match(output, /Byte-compiled 1 modules in [\d.]+ s, 0 from kiln's cache, 1 left to compile on import/);
  const pyc = pycOf(venv, "__init__");
  assert.ok(existsSync(pyc), pyc);
  assert.equal(existsSync(pycOf(venv, "broken")), false);
  assert.equal(importRewrites(venv, pyc), false, "the installed .pyc is valid: Python does not compile the module again");
});

test("a module installed again (another environment) gets its bytecode from kiln's cache, valid for its own file", () => {
  const venv = freshVenv();
  const output = install(venv, ["--link-mode", "copy"]);
  assert.match(output, /Byte-compiled 0 modules in [\d.]+ s, 1 from kiln's cache/);
  assert.equal(importRewrites(venv, pycOf(venv, "__init__")), false);
});

test("--no-compile and PIP_NO_COMPILE=1 install without bytecode", () => {
  for (const [extra, env] of [[["--no-compile"], {}], [[], { PIP_NO_COMPILE: "1" }]] as const) {
    const venv = freshVenv();
    const output = install(venv, [...extra], env);
    assert.doesNotMatch(output, /Byte-compiled/);
    assert.equal(existsSync(pycOf(venv, "__init__")), false);
  }
});
