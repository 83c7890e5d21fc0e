import { strict as assert } from "node:assert";
import { mkdtempSync, readdirSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runHostPython, hostPython } from "../support/host-python.js";
import { baseEnv, kiln, makeTree, runCommand, testCacheDir } from "../runtime/support.js";
import { realSdist, realSdists } from "./real-sdists.js";

// What a wheel holds, as Python's zipfile and email parser read it: the file list, METADATA's
// fields (every header, in order, and the description body), and files whose bytes differ.
const describeWheels = String.raw`
import email.parser, json, sys, zipfile
def read(path):
    archive = zipfile.ZipFile(path)
    names = sorted(archive.namelist())
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    message = email.parser.Parser().parsestr(archive.read(metadata).decode())
    return archive, names, {"fields": [[k, v] for k, v in message.items()], "body": message.get_payload()}
ours, theirs = json.load(sys.stdin)
a, names_a, meta_a = read(ours)
b, names_b, meta_b = read(theirs)
differ = [n for n in names_a if n in names_b and not n.endswith("/RECORD") and a.read(n) != b.read(n)]
print(json.dumps({"names": [names_a, names_b], "metadata": [meta_a, meta_b], "differ": differ}))
`;

function hostBuild(sdist: string, outdir: string): string {
  const unpacked = mkdtempSync(join(tmpdir(), "kiln-host-build-"));
  runCommand("tar", ["xzf", sdist, "-C", unpacked]);
  const project = join(unpacked, readdirSync(unpacked)[0]!);
  const result = runCommand(hostPython, ["-m", "build", "--wheel", "--outdir", outdir, project], { timeoutMs: 600_000, env: process.env });
  assert.equal(result.status, 0, `python -m build failed:\n${result.stderr.slice(-3000)}`);
  return join(outdir, readdirSync(outdir).find((name) => name.endsWith(".whl"))!);
}

for (const [backend, spec] of Object.entries(realSdists)) {
  test(`kiln build makes the same wheel as python -m build for a ${backend} sdist (${spec.file})`, { timeout: 900_000 }, () => {
    const sdist = realSdist(spec.file, spec.requirement);
    const work = mkdtempSync(join(tmpdir(), "kiln-build-"));
    const result = kiln(["build", sdist, "--outdir", join(work, "kiln")], { timeoutMs: 600_000 });
    assert.equal(result.status, 0, result.stderr);
    const built = readdirSync(join(work, "kiln"));
    assert.equal(built.length, 1);
    assert.match(result.stdout, new RegExp(`Built ${built[0]!.replace(/[.+]/g, "\\$&")}`));
    mkdirSync(join(work, "host"));
    const theirs = hostBuild(sdist, join(work, "host"));
    assert.equal(built[0], theirs.split("/").pop(), "the wheel file names differ");
    const compared = runHostPython<{ names: [string[], string[]]; metadata: [unknown, unknown]; differ: string[] }>(describeWheels, [join(work, "kiln", built[0]!), theirs]);
    assert.deepEqual(compared.names[0], compared.names[1]);
    assert.deepEqual(compared.metadata[0], compared.metadata[1]);
    assert.deepEqual(compared.differ, []);
  });
}

test("kiln build of a project directory builds the sdist, then the wheel from it, with -C settings", { timeout: 600_000 }, () => {
  const project = makeTree({
    "pyproject.toml": '[build-system]\nrequires = ["flit_core>=3.2,<5"]\nbuild-backend = "flit_core.buildapi"\n\n[project]\nname = "kiln_demo"\nversion = "0.1"\ndescription = "demo"\nrequires-python = ">=3.8"\n',
    "kiln_demo/__init__.py": '"""A demo."""\n',
  });
  const result = kiln(["build", project, "-C", "a=1", "-C", "a=2"], { timeoutMs: 600_000 });
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(readdirSync(join(project, "dist")).sort(), ["kiln_demo-0.1-py3-none-any.whl", "kiln_demo-0.1.tar.gz"]);
  assert.match(result.stdout, /Built kiln_demo-0\.1\.tar\.gz\nBuilt kiln_demo-0\.1-py3-none-any\.whl/);
});

const failing: Array<{ name: string; files: Record<string, string>; message: RegExp; hint?: RegExp; output?: RegExp }> = [
  {
    name: "a broken pyproject.toml",
    files: { "pyproject.toml": "[build-system\nrequires = [" },
    message: /pyproject\.toml is not valid TOML/,
  },
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
      "_build/backend.py": 'def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):\n    print("about to fail")\n    raise RuntimeError("the backend gives up")\n',
    },
    message: /RuntimeError: the backend gives up/,
    output: /about to fail/,
  },
  {
    name: "a Rust (maturin) project",
    files: { "pyproject.toml": '[build-system]\nrequires = ["maturin>=1,<2"]\nbuild-backend = "maturin"\n' },
    message: /compiler for Emscripten[^]*maturin/,
    hint: /pyemscripten_2026_0_wasm32/,
  },
  {
    name: "a setuptools project with a C extension",
    files: {
      "pyproject.toml": '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "cext"\nversion = "1.0"\n',
      "setup.py": 'from setuptools import Extension, setup\nsetup(ext_modules=[Extension("cext._speedups", ["cext/_speedups.c"])], packages=["cext"])\n',
      "cext/__init__.py": "",
      "cext/_speedups.c": "int x;\n",
    },
    message: /compiler for Emscripten/,
    hint: /Emscripten toolchain/,
  },
];

for (const item of failing) {
  test(`kiln build refuses ${item.name} with a clear error and leaves nothing behind`, { timeout: 600_000 }, () => {
    const project = makeTree(item.files);
    const cache = join(testCacheDir, "build");
    const before = existsSync(cache) ? readdirSync(cache).length : 0;
    const result = kiln(["build", project, "--wheel"], { timeoutMs: 600_000, env: { ...baseEnv(), NO_COLOR: "1" } });
    assert.equal(result.status, 1, result.stderr);
    const message = /^error: ([^]*?)(?=^hint: |$(?![^]))/m.exec(result.stderr)?.[1] ?? "";
    assert.match(message, item.message, result.stderr);
    if (item.hint) assert.match(/^hint: ([^]*)$/m.exec(result.stderr)?.[1] ?? "", item.hint);
    if (item.output) assert.match(result.stderr, item.output);
    assert.equal(existsSync(join(project, "dist")), false, "no output directory on failure");
    assert.equal(existsSync(cache) ? readdirSync(cache).length : 0, before, "the build scratch directory is removed");
  });
}
