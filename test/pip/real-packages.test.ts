// Real packages from the public index into a fresh `kiln venv`, through the venv's own bin/pip
// and bin/python -m pip. The wheels are fetched once with `pip download` into .cache/ and served
// by a PEP 503 index on loopback (with PEP 658 metadata files, as the index would serve them).
import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { unzipSync, zipSync } from "fflate";
import { bytesSource } from "../../src/archive/index.js";
import { readWheelMetadata } from "../../src/index/index.js";
import { startLoopbackServer, type LoopbackServer, type Route } from "../index/loopback-server.js";
import { baseEnv, kiln, makeTree, repoRoot } from "../runtime/support.js";
import { hostPython } from "../support/host-python.js";

const wheelDirectory = join(repoRoot, ".cache", "pip-e2e-wheels");
const wasmPlatform = ["--platform", "pyemscripten_2026_0_wasm32", "--python-version", "3.14", "--implementation", "cp", "--abi", "cp314"];
const linuxOnly = ["--platform", "manylinux2014_x86_64", "--python-version", "3.14", "--implementation", "cp", "--abi", "cp314"];
const wanted: Array<{ requirements: string[]; platform: string[]; deps: boolean }> = [
  { requirements: ["pytest==9.2.0", "pydantic==2.14.3", "pydantic-core==2.50.4"], platform: wasmPlatform, deps: true },
  { requirements: ["psutil==7.1.0"], platform: linuxOnly, deps: false },
];

let server: LoopbackServer;
let indexUrl: string;
let root: string;
let venv: string;

function download(): void {
  mkdirSync(wheelDirectory, { recursive: true });
  for (const { requirements, platform, deps } of wanted) {
    const args = ["-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--only-binary=:all:", ...platform, ...(deps ? [] : ["--no-deps"]), "-d", wheelDirectory, ...requirements];
    const result = spawnSync(hostPython, args, { encoding: "utf8", timeout: 300_000 });
    if (result.status !== 0) throw new Error(`pip download ${requirements.join(" ")} failed:\n${result.stderr}`);
  }
}

async function serveWheels(): Promise<void> {
  const routes: Record<string, Route> = {};
  const links = new Map<string, string[]>();
  for (const filename of readdirSync(wheelDirectory).filter((name) => name.endsWith(".whl"))) {
    const bytes = new Uint8Array(readFileSync(join(wheelDirectory, filename)));
    const metadata = await readWheelMetadata(bytesSource(bytes), filename);
    const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest("hex");
    routes[`/files/${filename}`] = (_request, response) => response.writeHead(200).end(bytes);
    routes[`/files/${filename}.metadata`] = (_request, response) => response.writeHead(200).end(metadata);
    const project = filename.split("-")[0]!.toLowerCase().replace(/[-_.]+/g, "-");
    links.set(project, [...(links.get(project) ?? []), `<a href="/files/${filename}#sha256=${sha256(bytes)}" data-dist-info-metadata="sha256=${sha256(metadata)}">${filename}</a>`]);
  }
  for (const [project, anchors] of links) {
    routes[`/simple/${project}/`] = (_request, response) => response.writeHead(200, { "content-type": "text/html" }).end(`<html><body>${anchors.join("\n")}</body></html>`);
  }
  // A copy of the runtime's own Pyodide repository: the pyodide-lock.json the npm package ships,
  // with the iniconfig entry pointing at the real wheel from the public index (Pyodide's CDN,
  // which holds its own build, is not reachable from the tests).
  const lock = JSON.parse(readFileSync(join(repoRoot, "node_modules", "pyodide", "pyodide-lock.json"), "utf8"));
  const iniconfig = readdirSync(wheelDirectory).find((name) => name.startsWith("iniconfig-"))!;
  const iniconfigBytes = readFileSync(join(wheelDirectory, iniconfig));
  lock.packages.iniconfig = { ...lock.packages.iniconfig, version: iniconfig.split("-")[1], file_name: iniconfig, sha256: createHash("sha256").update(iniconfigBytes).digest("hex") };
  routes["/pyodide/pyodide-lock.json"] = (_request, response) => response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(lock));
  routes[`/pyodide/${iniconfig}`] = (_request, response) => response.writeHead(200).end(iniconfigBytes);
  // A shared-library package as the repository ships them (a zip of .so files for the runtime's
  // library directory): its library is a real wasm side module, pydantic-core's extension.
  const core = readdirSync(wheelDirectory).find((name) => name.startsWith("pydantic_core-") && name.includes("pyemscripten"))!;
  const coreFiles = unzipSync(readFileSync(join(wheelDirectory, core)));
  const sideModule = Object.entries(coreFiles).find(([path]) => path.endsWith(".so"))![1];
  const probe = zipSync({ "libkilnprobe.so": sideModule });
  lock.packages.libkilnprobe = { name: "libkilnprobe", version: "1.0", file_name: "libkilnprobe-1.0.zip", install_dir: "dynlib", package_type: "shared_library", sha256: createHash("sha256").update(probe).digest("hex"), depends: [], imports: [], unvendored_tests: false };
  routes["/pyodide/libkilnprobe-1.0.zip"] = (_request, response) => response.writeHead(200).end(probe);
  server = await startLoopbackServer(routes);
  indexUrl = `${server.url}/simple/`;
}

before(async () => {
  download();
  await serveWheels();
  root = makeTree({ "tests/test_small.py": "import pytest\n\ndef test_adds():\n    assert 1 + 1 == 2\n\n@pytest.mark.parametrize('n', [1, 2, 3])\ndef test_param(n):\n    assert n > 0\n" });
  venv = join(root, ".venv-wasm");
  const created = kiln(["venv", venv]);
  assert.equal(created.status, 0, created.stderr);
});

after(async () => {
  await server?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

/**
 * Runs a program from the venv's bin, from the project directory, with no kiln on PATH; async, so
 * the loopback index in this process keeps answering.
 */
function bin(name: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(join(venv, "bin", name), args, { cwd: root, env: baseEnv({ PATH: "/usr/bin:/bin", PIP_CONFIG_FILE: "/dev/null" }), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, stdout, stderr }));
  });
}

test("bin/pip installs pytest from the index; bin/pytest --version and bin/python -m pytest run a suite", async () => {
  assert.ok(existsSync(join(venv, "bin", "pip")), "kiln venv writes bin/pip");
  const installed = await bin("pip", ["install", "pytest==9.2.0", "--index-url", indexUrl]);
  assert.equal(installed.status, 0, installed.stderr);
  assert.match(installed.stdout, /Successfully installed .*pytest-9\.2\.0/);
  const version = await bin("pytest", ["--version"]);
  assert.equal(version.status, 0, version.stderr);
  assert.match(version.stdout + version.stderr, /pytest 9\.2\.0/);
  const suite = await bin("python", ["-m", "pytest", "-q", "tests"]);
  assert.equal(suite.status, 0, suite.stdout + suite.stderr);
  assert.match(suite.stdout, /4 passed/);
});

test("bin/python -m pip installs pydantic-core (a pyemscripten wheel) and pydantic on top; both import", async () => {
  const core = await bin("python", ["-m", "pip", "install", "pydantic-core==2.50.4", "--index-url", indexUrl]);
  assert.equal(core.status, 0, core.stderr);
  const importCore = await bin("python", ["-c", "import pydantic_core; print(pydantic_core.__version__)"]);
  assert.equal(importCore.stdout.trim(), "2.50.4", importCore.stderr);
  const pydantic = await bin("python", ["-m", "pip", "install", "pydantic==2.14.3", "--index-url", indexUrl]);
  assert.equal(pydantic.status, 0, pydantic.stderr);
  assert.match(pydantic.stdout, /Requirement already satisfied: pydantic[-_]core/);
  const program = "from pydantic import BaseModel\nclass User(BaseModel):\n    id: int\n    name: str\nprint(User(id='7', name='x').model_dump())";
  const used = await bin("python", ["-c", program]);
  assert.equal(used.status, 0, used.stderr);
  assert.equal(used.stdout.trim(), "{'id': 7, 'name': 'x'}");
  const check = await bin("pip", ["check"]);
  assert.equal(check.stdout, "No broken requirements found.\n", check.stderr);
});

test("a shared library of the Pyodide repository installs into the venv's lib directory, where the runtime's dynamic linker finds it", async () => {
  const installed = await bin("pip", ["install", "libkilnprobe", "--no-index", "--pyodide-base-url", `${server.url}/pyodide/`]);
  assert.equal(installed.status, 0, installed.stderr);
  assert.ok(existsSync(join(venv, "lib", "libkilnprobe.so")), "in <prefix>/lib, as Pyodide's loader puts it in a venv");
  // Found by name through LD_LIBRARY_PATH, as an extension module's NEEDED entries are.
  const loaded = await bin("python", ["-c", "import ctypes; ctypes.CDLL('libkilnprobe.so'); print('loaded')"]);
  assert.equal(loaded.stdout.trim(), "loaded", loaded.stderr);
  assert.match((await bin("pip", ["list"])).stdout, /^libkilnprobe\s+1\.0$/m);
  const removed = await bin("pip", ["uninstall", "-y", "libkilnprobe"]);
  assert.equal(removed.status, 0, removed.stderr);
  assert.ok(!existsSync(join(venv, "lib", "libkilnprobe.so")));
});

test("a package with only manylinux wheels fails naming the missing wasm wheel; nothing changes", async () => {
  const before = (await bin("pip", ["freeze"])).stdout;
  assert.match(before, /^pytest==9\.2\.0$/m);
  const result = await bin("pip", ["install", "psutil==7.1.0", "--index-url", indexUrl]);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /psutil 7\.1\.0 has wheels only for Linux; no wheel for pyemscripten_2026_0_wasm32/);
  assert.equal((await bin("pip", ["freeze"])).stdout, before);
});

test("python -m pip keeps kiln's pip: installing pip itself is skipped; --version names kiln", async () => {
  const result = await bin("python", ["-m", "pip", "install", "--upgrade", "pip", "--index-url", indexUrl]);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /pip is provided by kiln/);
  assert.ok(!readdirSync(join(venv, "lib", "python3.14", "site-packages")).some((name) => name.startsWith("pip-")));
  const version = await bin("pip", ["--version"]);
  assert.equal(version.status, 0, version.stderr);
  assert.match(version.stdout, /^pip \S+ from kiln .*\(python 3\.14\)$/m);
});

test("packages of the runtime's Pyodide repository install through the same path (a copy on loopback)", async () => {
  const removed = await bin("pip", ["uninstall", "-y", "iniconfig"]);
  assert.equal(removed.status, 0, removed.stderr);
  assert.match(removed.stdout, /Successfully uninstalled iniconfig-/);
  const result = await bin("pip", ["install", "iniconfig", "--no-index", "--no-cache-dir", "--pyodide-base-url", `${server.url}/pyodide/`]);
  assert.equal(result.status, 0, result.stderr);
  // --no-cache-dir: the same wheel is in the content-addressed cache from the first test.
  assert.ok(server.hits("/pyodide/pyodide-lock.json") > 0);
  assert.ok(server.log.some((entry) => /^\/pyodide\/iniconfig-.*\.whl$/.test(entry.path)), "the wheel came from the Pyodide repository");
  const used = await bin("python", ["-c", "import iniconfig; print(iniconfig.__name__)"]);
  assert.equal(used.stdout.trim(), "iniconfig", used.stderr);
});
