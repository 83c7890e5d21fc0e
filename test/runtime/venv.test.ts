import { strict as assert } from "node:assert";
import { existsSync, lstatSync, readFileSync, readlinkSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { before, test } from "node:test";
import { baseEnv, kiln, makeTree, runCommand } from "./support.js";
import { downloadWheel, unpackWheel } from "./wheels.js";

let venv: string;
let sitePackages: string;

before(() => {
  venv = join(makeTree(), "venv with space");
  const created = kiln(["venv", venv, "--json"]);
  assert.equal(created.status, 0, created.stderr);
  const report = JSON.parse(created.stdout);
  sitePackages = report.sitePackages;
});

/** Runs the venv's python from `/`, with a PATH that has no kiln (and no node) on it. */
function python(args: string[], options: { launcher?: string; input?: string; env?: Record<string, string> } = {}) {
  const env = { ...baseEnv(options.env), PATH: "/nonexistent" };
  return runCommand(join(venv, "bin", options.launcher ?? "python"), args, { cwd: "/", env, input: options.input ?? "" });
}

test("venv layout: pyvenv.cfg records the runtime read from the runtime itself", () => {
  const config = readFileSync(join(venv, "pyvenv.cfg"), "utf8");
  const entries = Object.fromEntries(config.trim().split("\n").map((line) => line.split(" = ") as [string, string]));
  assert.equal(entries["include-system-site-packages"], "false");
  assert.match(entries.version!, /^3\.\d+\.\d+$/);
  assert.equal(entries["kiln-runtime"], "bundled");
  assert.equal(entries["kiln-platform-tag"], `pyemscripten_${entries["kiln-abi-version"]}_wasm32`);
  assert.equal(entries["kiln-platform-tags"]!.split(" ")[0], entries["kiln-platform-tag"]);
  const [major, minor] = entries.version!.split(".");
  assert.equal(entries["kiln-ext-suffix"], `.cpython-${major}${minor}-wasm32-emscripten.so`);
  assert.equal(sitePackages, join(venv, "lib", `python${major}.${minor}`, "site-packages"));
  assert.ok(statSync(sitePackages).isDirectory());
  assert.equal(statSync(join(venv, "bin", "python")).mode & 0o111, 0o111);
  for (const alias of ["python3", `python${major}.${minor}`]) assert.equal(readlinkSync(join(venv, "bin", alias)), "python");
  for (const script of ["activate", "activate.fish"]) assert.ok(existsSync(join(venv, "bin", script)));
});

test("bin/python runs from any directory without kiln on PATH; sys.prefix is the venv", () => {
  const result = python(["-c", "import sys, sysconfig; print(sys.prefix); print(sys.executable); print(sys.base_prefix != sys.prefix); print(sysconfig.get_paths()['purelib']); print(sys.path[-1])"]);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(result.stdout.trim().split("\n"), [venv, join(venv, "bin", "python"), "True", sitePackages, sitePackages]);
});

test("bin/python execs the launcher's CommonJS bundle; an environment naming its ES module (an earlier kiln's) runs the same", () => {
  const launcher = readFileSync(join(venv, "bin", "python"), "utf8");
  assert.match(launcher, /\/dist\/bundle\/node-venv-launcher\.cjs' /, launcher);
  const older = join(venv, "bin", "python-esm");
  writeFileSync(older, launcher.replace("/node-venv-launcher.cjs'", "/node-venv-launcher.js'"), { mode: 0o755 });
  const program = "import os, sys; print(sys.prefix); print(os.environ.get('KILN_PROBE')); sys.exit(3)";
  for (const name of ["python", "python-esm"]) {
    const result = python(["-c", program], { launcher: name, env: { KILN_PROBE: "seen" } });
    assert.equal(result.status, 3, `${name}: ${result.stderr}`);
    assert.deepEqual(result.stdout.trim().split("\n"), [venv, "seen"], name);
  }
});

test("bin/python3 reports itself as sys.executable, as CPython's venv does", () => {
  const result = python(["-c", "import sys; print(sys.executable)"], { launcher: "python3" });
  assert.equal(result.stdout.trim(), join(venv, "bin", "python3"));
});

test("bin/pip and bin/python -m pip run kiln pip for the venv in the launcher's own Node process", () => {
  const tree = makeTree({ "probe.cjs": 'require("node:fs").appendFileSync(process.env.PROBE_OUT, process.pid + "\\n");\n' });
  const cases: [string, string[]][] = [["pip", ["--version"]], ["python", ["-m", "pip", "--version"]], ["pip", ["list", "--format", "freeze"]]];
  for (const [index, [launcher, args]] of cases.entries()) {
    const out = join(tree, `pids-${index}`);
    const result = python(args, { launcher, env: { NODE_OPTIONS: `--require ${join(tree, "probe.cjs")}`, PROBE_OUT: out } });
    assert.equal(result.status, 0, result.stderr);
    if (args.includes("--version")) assert.match(result.stdout, new RegExp(`^pip \\S+ from kiln .*\\(python 3\\.\\d+\\)`));
    assert.equal(readFileSync(out, "utf8").trim().split("\n").length, 1, `${launcher} ${args.join(" ")} started one Node process`);
  }
});

test("activate puts the venv first on PATH; deactivate undoes it", () => {
  const script = [
    `. '${join(venv, "bin", "activate")}'`,
    'echo "$VIRTUAL_ENV"',
    "command -v python",
    "python -c 'import sys; print(sys.prefix)'",
    "deactivate",
    'echo "after:${VIRTUAL_ENV:-none}"',
    "command -v deactivate || echo no-deactivate",
  ].join("\n");
  const result = runCommand("bash", ["-c", script], { env: baseEnv({ PATH: "/usr/bin:/bin" }) });
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(result.stdout.trim().split("\n"), [venv, join(venv, "bin", "python"), venv, "after:none", "no-deactivate"]);
});

test(".pth files in site-packages are processed: paths added, import lines run", () => {
  const extra = makeTree({ "pth_target_mod.py": "VALUE = 'from pth'\n" });
  writeFileSync(join(sitePackages, "kiln_test.pth"), `${extra}\nimport sys; sys.kiln_pth_ran = True\n`);
  const result = python(["-c", "import sys, pth_target_mod; print(pth_target_mod.VALUE, sys.kiln_pth_ran)"]);
  assert.equal(result.stdout.trim(), "from pth True", result.stderr);
});

test("a real WASM extension module (pydantic-core from the public index) imports from site-packages", () => {
  const wheel = downloadWheel("pydantic-core", { platform: "pyemscripten_2026_0_wasm32" });
  unpackWheel(wheel, sitePackages);
  unpackWheel(downloadWheel("typing-extensions"), sitePackages);
  const program = [
    "from pydantic_core import SchemaValidator, core_schema, _pydantic_core",
    "v = SchemaValidator(core_schema.dict_schema(keys_schema=core_schema.str_schema(), values_schema=core_schema.int_schema()))",
    "print(v.validate_python({'a': '1', 'b': 2}))",
    "print(_pydantic_core.__file__)",
  ].join("\n");
  const result = python(["-c", program]);
  assert.equal(result.status, 0, result.stderr);
  const [validated, file] = result.stdout.trim().split("\n");
  assert.equal(validated, "{'a': 1, 'b': 2}");
  assert.match(file!, /\/pydantic_core\/_pydantic_core\.cpython-3\d+-wasm32-emscripten\.so$/);
  assert.ok(file!.startsWith(sitePackages));
  assert.ok(lstatSync(file!).isFile());
});

test("the runtime's own tags and markers agree with packaging run inside the runtime", () => {
  unpackWheel(downloadWheel("packaging==26.3"), sitePackages);
  const program = [
    "import json, packaging.tags as t, packaging.markers as m",
    "platforms = []",
    "[platforms.append(tag.platform) for tag in t.sys_tags() if tag.platform not in platforms]",
    "print(json.dumps({'platforms': platforms, 'markers': m.default_environment()}))",
  ].join("\n");
  const result = python(["-c", program]);
  assert.equal(result.status, 0, result.stderr);
  const fromPackaging = JSON.parse(result.stdout);
  const described = JSON.parse(kiln(["venv", join(makeTree(), "v2"), "--json"]).stdout).runtime;
  assert.deepEqual(described.markerEnvironment, fromPackaging.markers);
  // kiln also lists the pyodide_* alias of the ABI tag (DESIGN.md); otherwise the same order.
  assert.deepEqual(described.platformTags.filter((tag: string) => !tag.startsWith("pyodide_")), fromPackaging.platforms);
});

test("--clear empties an existing environment; a file in the way is an error", () => {
  const dir = join(makeTree(), "cleared");
  assert.equal(kiln(["venv", dir]).status, 0);
  mkdirSync(join(dir, "junk"));
  writeFileSync(join(dir, "junk", "x.txt"), "x");
  assert.equal(kiln(["venv", "--clear", dir]).status, 0);
  assert.equal(existsSync(join(dir, "junk")), false);
  assert.ok(existsSync(join(dir, "bin", "python")));
  const file = join(makeTree({ "afile": "x" }), "afile");
  const refused = kiln(["venv", file]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /it is a file/);
});

test("--clear refuses a directory that is not a virtual environment, and kiln venv keeps a project's own .gitignore", () => {
  // `kiln venv --clear /` once deleted what it could of the file system before /dev stopped it.
  const project = makeTree({ "src/app.py": "print(1)\n", ".gitignore": "dist/\n" });
  const refused = kiln(["venv", "--clear", project]);
  assert.equal(refused.status, 1, refused.stderr);
  assert.match(refused.stderr, /Cannot clear ".*": it is not a virtual environment \(it has no pyvenv\.cfg\)/);
  assert.equal(readFileSync(join(project, "src", "app.py"), "utf8"), "print(1)\n");
  // Without --clear, as python -m venv does, the environment is made inside; the project's
  // .gitignore is not replaced by the environment's "ignore everything".
  assert.equal(kiln(["venv", project]).status, 0);
  assert.equal(readFileSync(join(project, ".gitignore"), "utf8"), "dist/\n");
  assert.ok(existsSync(join(project, "bin", "python")));
  // Now it is one: --clear empties it.
  assert.equal(kiln(["venv", "--clear", project]).status, 0);
  assert.equal(existsSync(join(project, "src")), false);
});

test("a directory below a file is a clear error", () => {
  const file = join(makeTree({ afile: "x" }), "afile");
  const result = kiln(["venv", join(file, "venv")]);
  assert.equal(result.status, 1, result.stderr);
  assert.match(result.stderr, /^error: Cannot create a virtual environment at ".*afile\/venv": /m);
  assert.doesNotMatch(result.stderr, /crashed/);
});

test("a bad --runtime is a clear error", () => {
  const result = kiln(["venv", join(makeTree(), "x"), "--runtime", "pyodide@not-a-version"]);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /Cannot understand runtime "pyodide@not-a-version"/);
});

test("bytecode is written to __pycache__ on the host, as CPython does", () => {
  const dir = makeTree({ "cached_mod.py": "X = 1\n" });
  const result = runCommand(process.execPath, [join(import.meta.dirname, "../../bin/kiln.js"), "run", "-c", "import cached_mod, sys; print(cached_mod.__cached__)"], { cwd: dir, env: baseEnv() });
  assert.equal(result.status, 0, result.stderr);
  const cached = result.stdout.trim();
  assert.match(cached, /__pycache__\/cached_mod\.cpython-3\d+\.pyc$/);
  assert.ok(statSync(cached).size > 0);
  const withoutBytecode = makeTree({ "cached_mod.py": "" });
  const again = runCommand(process.execPath, [join(import.meta.dirname, "../../bin/kiln.js"), "run", "-B", "-c", "import cached_mod"], { cwd: withoutBytecode, env: baseEnv() });
  assert.equal(again.status, 0, again.stderr);
  assert.equal(existsSync(join(withoutBytecode, "__pycache__")), false);
});
