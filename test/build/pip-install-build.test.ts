// kiln pip install of things that must be built first: a project directory, -e (PEP 660), a
// local sdist and `name @ file:` of one; and build failures that leave the environment as it was.
// Build requirements come from the public index; sdists are fetched into .cache/sdists.
import { strict as assert } from "node:assert";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, test } from "node:test";
import { baseEnv, kiln, makeTree, runCommand } from "../runtime/support.js";
import { realSdist, realSdists } from "./real-sdists.js";

const env = baseEnv({ NO_COLOR: "1", PIP_CONFIG_FILE: "/dev/null" });
let root: string;
let venv: string;
let sitePackages: string;

before(() => {
  root = makeTree();
  venv = join(root, ".venv-wasm");
  const created = kiln(["venv", venv], { env, timeoutMs: 300_000 });
  assert.equal(created.status, 0, created.stderr);
  sitePackages = join(venv, "lib", "python3.14", "site-packages");
});
after(() => rmSync(root, { recursive: true, force: true }));

const pip = (...args: string[]) => kiln(["pip", ...args, "--python", venv], { cwd: root, env, timeoutMs: 600_000 });
const python = (code: string) => runCommand(join(venv, "bin", "python"), ["-c", code], { cwd: root, env, timeoutMs: 300_000 });
const directUrl = (distInfo: string) => JSON.parse(readFileSync(join(sitePackages, distInfo, "direct_url.json"), "utf8")) as unknown;
const listing = () => readdirSync(sitePackages).sort();

function project(files: Record<string, string>): string {
  const directory = join(root, `project-${Math.random().toString(36).slice(2, 8)}`);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(directory, path)), { recursive: true });
    writeFileSync(join(directory, path), content);
  }
  return directory;
}

test("pip install ./project builds its wheel with the project's backend, installs it and its dependencies, records dir_info", { timeout: 900_000 }, () => {
  const directory = project({
    "pyproject.toml": '[build-system]\nrequires = ["flit_core>=3.4,<5"]\nbuild-backend = "flit_core.buildapi"\n\n[project]\nname = "kiln_demo"\nversion = "0.1"\ndescription = "demo"\ndependencies = ["iniconfig"]\n',
    "kiln_demo/__init__.py": "X = 1\n",
  });
  const result = pip("install", directory);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^Successfully installed .*kiln_demo-0\.1/m);
  assert.ok(listing().some((name) => name.startsWith("iniconfig-")), "the dependency is installed");
  assert.deepEqual(directUrl("kiln_demo-0.1.dist-info"), { url: pathToFileURL(directory).href, dir_info: {} });
  assert.equal(python("import kiln_demo; print(kiln_demo.X)").stdout.trim(), "1");
  // pip reinstalls a local project even at the same version: the new source is what is installed.
  writeFileSync(join(directory, "kiln_demo", "__init__.py"), "X = 2\n");
  const again = pip("install", directory);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(python("import kiln_demo; print(kiln_demo.X)").stdout.trim(), "2");
});

test("bin/pip install -e ./project (setuptools, src layout) imports from the source tree; direct_url says editable", { timeout: 900_000 }, () => {
  const directory = project({
    "pyproject.toml": '[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "stpkg"\nversion = "1.0"\n',
    "src/stpkg/__init__.py": 'WHERE = "first"\n',
  });
  const result = runCommand(join(venv, "bin", "pip"), ["install", "-e", directory], { cwd: root, env, timeoutMs: 600_000 });
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(directUrl("stpkg-1.0.dist-info"), { url: pathToFileURL(directory).href, dir_info: { editable: true } });
  writeFileSync(join(directory, "src", "stpkg", "__init__.py"), 'WHERE = "edited"\n');
  const imported = python("import stpkg; print(stpkg.WHERE, stpkg.__file__)");
  assert.equal(imported.stdout.trim(), `edited ${join(directory, "src", "stpkg", "__init__.py")}`, imported.stderr);
  const frozen = pip("freeze");
  assert.match(frozen.stdout, new RegExp(`^# Editable install with no version control \\(stpkg==1\\.0\\)\n-e ${directory.replace(/[.+]/g, "\\$&")}$`, "m"));
  // What freeze writes installs again (-e lines of a requirements file).
  writeFileSync(join(root, "frozen.txt"), frozen.stdout);
  const reinstalled = pip("install", "-r", join(root, "frozen.txt"));
  assert.equal(reinstalled.status, 0, reinstalled.stderr);
});

test("pip install of a local sdist and of name @ file: URL of it builds its wheel (once) and records archive_info", { timeout: 900_000 }, () => {
  const spec = realSdists.setuptools;
  const sdist = realSdist(spec.file, spec.requirement);
  const sha256 = runCommand("sha256sum", [sdist]).stdout.split(" ")[0]!;
  const first = pip("install", sdist);
  assert.equal(first.status, 0, first.stderr);
  assert.deepEqual(directUrl("six-1.17.0.dist-info"), { url: pathToFileURL(sdist).href, archive_info: { hash: `sha256=${sha256}`, hashes: { sha256 } } });
  const named = pip("install", `six @ ${pathToFileURL(sdist).href}`);
  assert.equal(named.status, 0, named.stderr);
  assert.equal(python("import six; print(six.__version__)").stdout.trim(), "1.17.0");
  const wrong = pip("install", `notsix @ ${pathToFileURL(sdist).href}`);
  assert.equal(wrong.status, 1);
  assert.match(wrong.stderr, /six-1\.17\.0-py2\.py3-none-any\.whl, a distribution of six, not notsix/);
});

const failing: Array<{ name: string; files: Record<string, string>; args?: string[]; message: RegExp; hint?: RegExp }> = [
  { name: "a broken pyproject.toml", files: { "pyproject.toml": "[build-system\nrequires = [" }, message: /pyproject\.toml is not valid TOML/ },
  {
    name: "a missing backend",
    files: { "pyproject.toml": '[build-system]\nrequires = []\nbuild-backend = "nothere.api"\n' },
    message: /No module named 'nothere'/,
    hint: /\[build-system\] requires/,
  },
  {
    name: "a backend that raises",
    files: {
      "pyproject.toml": '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["_build"]\n',
      "_build/backend.py": 'def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):\n    raise RuntimeError("the backend gives up")\n',
    },
    message: /RuntimeError: the backend gives up/,
  },
  {
    name: "-e with a backend that has no build_editable",
    args: ["-e"],
    files: {
      "pyproject.toml": '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["_build"]\n',
      "_build/backend.py": 'def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):\n    raise RuntimeError("not reached")\n',
    },
    message: /in editable mode: its build backend "backend" has no build_editable hook \(PEP 660\)/,
    hint: /without -e/,
  },
];

for (const item of failing) {
  test(`pip install refuses ${item.name} with a clear error and leaves the environment as it was`, { timeout: 600_000 }, () => {
    const directory = project(item.files);
    const before = listing();
    const result = pip("install", ...(item.args ?? []), directory);
    assert.equal(result.status, 1, result.stderr);
    const message = /^error: ([^]*?)(?=^hint: |$(?![^]))/m.exec(result.stderr)?.[1] ?? "";
    assert.match(message, item.message, result.stderr);
    if (item.hint) assert.match(/^hint: ([^]*)$/m.exec(result.stderr)?.[1] ?? "", item.hint);
    assert.deepEqual(listing(), before);
  });
}
