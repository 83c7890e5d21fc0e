import { strict as assert } from "node:assert";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, test } from "node:test";
import { baseEnv, kiln, makeTree, runCommand } from "../runtime/support.js";
import { hostPython } from "../support/host-python.js";
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

/** The RECORD rows of bytecodedemo's installed distribution under `root` (site-packages or a --target). */
function recordRows(root: string): string[] {
  return readFileSync(join(root, "bytecodedemo-1.0.dist-info", "RECORD"), "utf8").split(/\r?\n/).filter(Boolean);
}

/** The `.pyc` rows of a RECORD, with the interpreter's cache tag made neutral. */
function bytecodeRows(rows: string[]): string[] {
  return rows.filter((row) => row.split(",")[0]!.endsWith(".pyc")).map((row) => row.replace(/\.cpython-\d+\.pyc/, ".TAG.pyc")).sort();
}

test("pip install lists the bytecode it writes in RECORD exactly as pip does (path, no hash, no size)", () => {
  const venv = freshVenv();
  install(venv);
  const ours = recordRows(sitePackages(venv));
  const target = join(makeTree(), "target");
  const pip = runCommand(hostPython, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--no-index", "--target", target, wheel], { env: baseEnv() });
  assert.equal(pip.status, 0, pip.stderr);
  assert.deepEqual(bytecodeRows(ours), bytecodeRows(recordRows(target)));
  assert.deepEqual(bytecodeRows(ours), ["bytecodedemo/__pycache__/__init__.TAG.pyc,,"]);
  const shown = kiln(["pip", "show", "--files", "--python", venv, "bytecodedemo"], { env: baseEnv() });
  assert.match(shown.stdout, /bytecodedemo\/__pycache__\/__init__\.cpython-\d+\.pyc/);
});

test("--no-compile leaves RECORD without bytecode rows", () => {
  const venv = freshVenv();
  install(venv, ["--no-compile"]);
  assert.deepEqual(bytecodeRows(recordRows(sitePackages(venv))), []);
});

test("uninstall removes the bytecode and its __pycache__ directories, also of an install whose RECORD predates bytecode rows", () => {
  for (const recorded of [true, false]) {
    const venv = freshVenv();
    install(venv);
    const site = sitePackages(venv);
    if (!recorded) {
      const record = join(site, "bytecodedemo-1.0.dist-info", "RECORD");
      writeFileSync(record, recordRows(site).filter((row) => !row.includes(".pyc,")).join("\n") + "\n");
    }
    assert.ok(existsSync(join(site, "bytecodedemo", "__pycache__")));
    const result = kiln(["pip", "uninstall", "-y", "--python", venv, "bytecodedemo"], { env: baseEnv() });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(existsSync(join(site, "bytecodedemo")), false, `recorded=${recorded}: ${readdirSync(site).join(" ")}`);
    assert.deepEqual(readdirSync(site).filter((name) => name.startsWith("bytecodedemo")), []);
  }
});

test("an upgrade removes the old version's bytecode, also of modules the new version no longer has", () => {
  const root = makeTree();
  const wheels = ["1.0", "2.0"].map((version) => {
    const path = join(root, `upgradedemo-${version}-py3-none-any.whl`);
    const files: Record<string, string> = { "upgradedemo/__init__.py": `VERSION = "${version}-${marker}"\n` };
    if (version === "1.0") Object.assign(files, { "upgradedemo/gone.py": "X = 1\n", "upgradedemo_top.py": "Y = 2\n" });
    writeFileSync(path, buildWheel(`upgradedemo-${version}-py3-none-any.whl`, files));
    return path;
  });
  const venv = freshVenv();
  for (const path of wheels) assert.equal(kiln(["pip", "install", "--python", venv, path], { env: baseEnv() }).status, 0);
  const site = sitePackages(venv);
  assert.deepEqual(readdirSync(join(site, "upgradedemo", "__pycache__")).map((name) => name.split(".")[0]), ["__init__"]);
  assert.equal(existsSync(join(site, "__pycache__")), false, "the top-level module's __pycache__ directory went with it");
  const record = readFileSync(join(site, "upgradedemo-2.0.dist-info", "RECORD"), "utf8");
  assert.deepEqual(bytecodeRows(record.split("\n")), ["upgradedemo/__pycache__/__init__.TAG.pyc,,"]);
});

test("pip sync byte-compiles what it installs like pip install, and honours --no-compile and PIP_NO_COMPILE", () => {
  for (const [extra, env, compiled] of [[[], {}, true], [["--no-compile"], {}, false], [[], { PIP_NO_COMPILE: "1" }, false]] as const) {
    const venv = freshVenv();
    const requirements = join(makeTree(), "requirements.txt");
    writeFileSync(requirements, `bytecodedemo @ file://${wheel}\n`);
    const result = kiln(["pip", "sync", "--python", venv, requirements, ...extra], { env: baseEnv(env) });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(existsSync(pycOf(venv, "__init__")), compiled, `${extra.join(" ")} ${JSON.stringify(env)}`);
    assert.deepEqual(bytecodeRows(recordRows(sitePackages(venv))), compiled ? ["bytecodedemo/__pycache__/__init__.TAG.pyc,,"] : []);
  }
});
