// kiln lock / kiln pip compile end to end against a PEP 503 index on loopback.
import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { runCli } from "../../src/cli/main.js";
import { parsePylock } from "../../src/lock/index.js";
import { testCacheDir } from "../runtime/support.js";
import { zipSync } from "fflate";

const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");
const packages: Record<string, Array<{ version: string; tag: string; requires?: string[]; requiresPython?: string }>> = {
  app: [{ version: "1.0", tag: "py3-none-any", requires: ["lib>=2", "extra-dep; sys_platform == 'win32'"] }],
  lib: [
    { version: "2.0", tag: "cp314-cp314-pyemscripten_2026_0_wasm32", requires: ["Tiny_Dep"] },
    { version: "2.1", tag: "cp314-cp314-manylinux_2_17_x86_64" },
    { version: "3.0", tag: "py3-none-any", requiresPython: ">=3.15" },
  ],
  "tiny-dep": [{ version: "0.1", tag: "py3-none-any" }],
  "uses-numpy": [{ version: "1.0", tag: "py3-none-any", requires: ["numpy>=2", "tiny-dep"] }],
  "needs-rpds": [
    { version: "1.0", tag: "py3-none-any" },
    { version: "2.0", tag: "py3-none-any", requires: ["rpds-py"] },
  ],
};

let server: Server;
const files = new Map<string, string | Uint8Array>();
const jsonPages = new Map<string, string>();
let base: string;
const work = mkdtempSync(join(tmpdir(), "kiln-lock-cli-"));

function metadata(name: string, version: string, requires: string[] = [], requiresPython?: string): string {
  return [`Metadata-Version: 2.1`, `Name: ${name}`, `Version: ${version}`, ...(requiresPython ? [`Requires-Python: ${requiresPython}`] : []), ...requires.map((r) => `Requires-Dist: ${r}`), ""].join("\n");
}

before(async () => {
  const pages = new Map<string, string>();
  for (const [name, versions] of Object.entries(packages)) {
    const links = versions.map(({ version, tag, requires, requiresPython }) => {
      const filename = `${name.replace(/-/g, "_")}-${version}-${tag}.whl`;
      const text = metadata(name, version, requires, requiresPython);
      const module = name.replace(/-/g, "_");
      const topLevel = name === "tiny-dep" ? { [`${module}-${version}.dist-info/top_level.txt`]: new TextEncoder().encode("tiny_dep\ntiny\n") } : {};
      const distInfo = `${module}-${version}.dist-info`;
      files.set(`/files/${filename}`, zipSync({ [`${module}/__init__.py`]: new Uint8Array(), [`${distInfo}/METADATA`]: new TextEncoder().encode(text), ...topLevel }));
      files.set(`/files/${filename}.metadata`, text);
      const attributes = `data-dist-info-metadata="sha256=${sha256(text)}"${requiresPython ? ` data-requires-python="${requiresPython.replace(/>/g, "&gt;")}"` : ""}`;
      return `<a href="../../files/${filename}#sha256=${sha256(files.get(`/files/${filename}`)!)}" ${attributes}>${filename}</a>`;
    });
    pages.set(`/simple/${name}/`, `<!DOCTYPE html><html><body>${links.join("\n")}</body></html>`);
    // The same project as a PEP 691 JSON page, which lists sizes (PEP 700).
    const jsonFiles = versions.map(({ version, tag }) => {
      const filename = `${name.replace(/-/g, "_")}-${version}-${tag}.whl`;
      const body = files.get(`/files/${filename}`) as Uint8Array;
      return { filename, url: `../../../files/${filename}`, hashes: { sha256: sha256(body) }, size: body.byteLength, "core-metadata": { sha256: sha256(files.get(`/files/${filename}.metadata`)!) } };
    });
    jsonPages.set(`/json/simple/${name}/`, JSON.stringify({ meta: { "api-version": "1.1" }, name, files: jsonFiles, versions: versions.map((v) => v.version) }));
  }
  // A copy of the embedded runtime's Pyodide repository on loopback (its lock file only).
  files.set("/pyodide/pyodide-lock.json", readFileSync(new URL("../../node_modules/pyodide/pyodide-lock.json", import.meta.url), "utf8"));
  server = createServer((request, response) => {
    const json = jsonPages.get(request.url!);
    if (json !== undefined) {
      response.writeHead(200, { "content-type": "application/vnd.pypi.simple.v1+json" }).end(json);
      return;
    }
    const body = pages.get(request.url!) ?? files.get(request.url!);
    if (body === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": pages.has(request.url!) ? "text/html" : "application/octet-stream" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/simple/`;
});

after(() => {
  server.close();
  rmSync(work, { recursive: true, force: true });
});

async function kiln(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return kilnWithEnv({}, ...args);
}

async function kilnWithEnv(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: { KILN_CACHE_DIR: join(work, "cache"), NO_COLOR: "1", PIP_CONFIG_FILE: "/dev/null", ...env },
    cwd: work,
  });
  return { code, stdout, stderr };
}

test("kiln lock writes a pylock.toml with the target's wheels", async () => {
  const { code, stderr } = await kiln("lock", "app", "--index-url", base);
  assert.equal(code, 0, stderr);
  const lock = parsePylock(readFileSync(join(work, "pylock.toml"), "utf8"));
  assert.deepEqual(lock.packages.map((p) => `${p.name}==${p.version}`), ["app==1.0", "lib==2.0", "tiny-dep==0.1"]);
  const lib = lock.packages.find((p) => p.name === "lib")!;
  assert.deepEqual(lib.dependencies, ["tiny-dep"]);
  assert.equal(lib.wheels[0]!.filename, "lib-2.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl");
  assert.equal(lib.wheels[0]!.hashes.sha256, sha256(files.get("/files/lib-2.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl")!));
});

test("kiln lock --format pyodide-lock writes what loadPyodide reads", async () => {
  const { code, stderr } = await kiln("lock", "app", "--index-url", base, "--format", "pyodide-lock");
  assert.equal(code, 0, stderr);
  const lock = JSON.parse(readFileSync(join(work, "pyodide-lock.json"), "utf8"));
  assert.deepEqual(lock.info, { abi_version: "2026_0", arch: "wasm32", platform: "emscripten_5_0_3", python: "3.14.2" });
  assert.deepEqual(lock.packages.lib.depends, ["tiny-dep"]);
  assert.match(lock.packages.lib.file_name, /^http:\/\/127\.0\.0\.1:\d+\/files\/lib-2\.0-cp314/);
  assert.deepEqual(lock.packages.lib.imports, ["lib"], "from the wheel's file names");
  assert.deepEqual(lock.packages["tiny-dep"].imports, ["tiny", "tiny_dep"], "from top_level.txt");
});

test("kiln pip compile pins with hashes and via comments", async () => {
  writeFileSync(join(work, "requirements.in"), `--index-url ${base}\napp  # the app\n`);
  const first = await kiln("pip", "compile", "requirements.in", "-o", "requirements.txt");
  assert.equal(first.code, 0, first.stderr);
  const text = readFileSync(join(work, "requirements.txt"), "utf8");
  assert.match(text, /^app==1\.0 \\\n    --hash=sha256:[0-9a-f]{64}\n    # via -r requirements.in$/m);
  assert.match(text, /^tiny-dep==0\.1 \\\n    --hash=sha256:[0-9a-f]{64}\n    # via lib$/m);
});

test("an unsatisfiable set is explained in words, with hints", async () => {
  const { code, stderr } = await kiln("lock", "lib>=2.1", "--index-url", base, "-o", "-");
  assert.equal(code, 1);
  assert.match(stderr, /Because you require lib>=2\.1 and no usable version of lib>=2\.1 exists, your requirements are unsatisfiable\./);
  assert.match(stderr, /lib 3\.0 requires Python >=3\.15, but the target has 3\.14\.2/);
  assert.match(stderr, /lib 2\.1 has wheels only for Linux; no wheel for pyemscripten_2026_0_wasm32/);
});

test("kiln lock takes the index from pip's environment and options from nested requirement files", async () => {
  writeFileSync(join(work, "base.txt"), "-c pins.txt\napp\n");
  writeFileSync(join(work, "pins.txt"), "tiny-dep==0.1 --hash=sha256:00ff\n");
  writeFileSync(join(work, "top.in"), "-r ${BASE_FILE}\n");
  const { code, stdout, stderr } = await kilnWithEnv({ PIP_INDEX_URL: base, BASE_FILE: "base.txt" }, "lock", "-r", "top.in", "--format", "requirements", "-o", "-");
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^app==1\.0 \\\n    --hash=sha256:[0-9a-f]{64}\n    # via -r base\.txt$/m);
  assert.match(stdout, /^tiny-dep==0\.1 /m);
});

test("kiln lock refuses an editable requirement with its file and line", async () => {
  writeFileSync(join(work, "editable.in"), "app\n-e ./project\n");
  const { code, stderr } = await kiln("lock", "-r", "editable.in", "--index-url", base, "-o", "-");
  assert.equal(code, 1);
  assert.match(stderr, /editable\.in:2: "\.\/project" is an editable requirement/);
});

// The runtime's Pyodide repository: on by default for kiln lock as for every command, read from
// the embedded runtime's pyodide-lock.json. This index has no numpy, and Pyodide's CDN is not
// reachable from the tests, so these pass only if resolving makes no request to it.
test("kiln lock takes what the index lacks from the runtime's Pyodide repository, with its depends, without a request", async () => {
  const embedded = JSON.parse(readFileSync(new URL("../../node_modules/pyodide/pyodide-lock.json", import.meta.url), "utf8"));
  const { code, stderr } = await kiln("lock", "uses-numpy", "shapely", "--index-url", base, "--format", "pyodide-lock", "-o", "pyodide-numpy.json");
  assert.equal(code, 0, stderr);
  const lock = JSON.parse(readFileSync(join(work, "pyodide-numpy.json"), "utf8"));
  assert.deepEqual(Object.keys(lock.packages).sort(), ["numpy", "shapely", "tiny-dep", "uses-numpy"]);
  assert.equal(lock.packages.numpy.version, embedded.packages.numpy.version);
  assert.equal(lock.packages.numpy.sha256, embedded.packages.numpy.sha256);
  assert.match(lock.packages.numpy.file_name, /^https:\/\/cdn\.jsdelivr\.net\/pyodide\/v[\d.]+\/full\/numpy-[\d.]+-cp314-cp314-pyemscripten_2026_0_wasm32\.whl$/);
  assert.deepEqual(lock.packages.numpy.imports, ["numpy"]);
  assert.deepEqual(lock.packages.shapely.depends, ["numpy"], "the lock's depends");
  assert.match(lock.packages["tiny-dep"].file_name, /^http:\/\/127\.0\.0\.1/, "the index comes first");

  const off = await kiln("lock", "uses-numpy", "--index-url", base, "--no-pyodide-index", "-o", "-");
  assert.equal(off.code, 1);
  assert.match(off.stderr, /no usable version of numpy/);
  assert.match(off.stderr, /the runtime's Pyodide repository has numpy [\d.]+; --no-pyodide-index leaves it out/);
  const otherAbi = await kiln("lock", "uses-numpy", "--index-url", base, "--runtime", "2025_0", "-o", "-");
  assert.equal(otherAbi.code, 1, "the embedded repository is for 2026_0 only");
});

// The runtime comes from the npm registry into the test cache (shared with the runtime tests) and
// is started once to describe itself; its repository's lock is read from its package.
test("kiln lock --runtime pyodide@X: that runtime's own target, and its own Pyodide repository as the fallback", async () => {
  const { code, stdout, stderr } = await kilnWithEnv({ KILN_CACHE_DIR: testCacheDir }, "lock", "uses-numpy", "--index-url", base, "--runtime", "pyodide@0.29.x", "--format", "pyodide-lock", "-o", "-");
  assert.equal(code, 0, stderr);
  const lock = JSON.parse(stdout);
  assert.equal(lock.info.abi_version, "2025_0");
  assert.match(lock.info.python, /^3\.13\./);
  assert.match(lock.packages.numpy.file_name, /^https:\/\/cdn\.jsdelivr\.net\/pyodide\/v0\.29\.\d+\/full\/numpy-[\d.]+-cp313-cp313-(pyemscripten|pyodide)_2025_0_wasm32\.whl$/);
  assert.match(lock.packages["tiny-dep"].file_name, /^http:\/\/127\.0\.0\.1/);
  const garbage = await kiln("lock", "uses-numpy", "--index-url", base, "--runtime", "pyodide@latest", "-o", "-");
  assert.equal(garbage.code, 1);
  assert.match(garbage.stderr, /Cannot understand runtime "pyodide@latest"/);
});

test("shared libraries of the Pyodide repository are locked with their type: dynlib in pyodide-lock.json, an archive in pylock.toml", async () => {
  const json = await kiln("lock", "libgdal", "--index-url", base, "--format", "pyodide-lock", "-o", "-");
  assert.equal(json.code, 0, json.stderr);
  const lock = JSON.parse(json.stdout);
  assert.deepEqual(Object.keys(lock.packages).sort(), ["libgdal", "libgeos"]);
  assert.equal(lock.packages.libgdal.package_type, "shared_library");
  assert.equal(lock.packages.libgdal.install_dir, "dynlib");
  assert.deepEqual(lock.packages.libgdal.depends, ["libgeos"]);
  const toml = await kiln("lock", "libgdal", "--index-url", base, "-o", "-");
  assert.equal(toml.code, 0, toml.stderr);
  assert.match(toml.stdout, /^archive = \{ url = "https:\/\/cdn\.jsdelivr\.net\/pyodide\/v[\d.]+\/full\/libgeos-[\d.]+\.zip", hashes = \{ sha256 = "[0-9a-f]{64}" \} \}$/m);
  assert.doesNotMatch(toml.stdout, /wheels = \[\s*\{ name = "libg/);
});

test("the Pyodide repository joins only when the index alone cannot satisfy the requirements", async () => {
  const alone = await kiln("lock", "needs-rpds", "--index-url", base, "--format", "requirements", "-o", "-");
  assert.equal(alone.code, 0, alone.stderr);
  assert.match(alone.stdout, /^needs-rpds==1\.0 /m, "the index-only solution wins over a newer one that needs the repository");
  assert.doesNotMatch(alone.stdout, /rpds-py/);
  const needed = await kiln("lock", "needs-rpds>=2", "--index-url", base, "--format", "requirements", "-o", "-");
  assert.equal(needed.code, 0, needed.stderr);
  assert.match(needed.stdout, /^rpds-py==[\d.]+ \\\n    --hash=sha256:[0-9a-f]{64}$/m);
});

test("--pyodide-base-url points the repository at a copy: its lock is fetched from there, and its files resolve against it", async () => {
  const mirror = base.replace(/simple\/$/, "pyodide/");
  const { code, stdout, stderr } = await kiln("lock", "uses-numpy", "--index-url", base, "--pyodide-base-url", mirror, "--format", "pyodide-lock", "-o", "-");
  assert.equal(code, 0, stderr);
  assert.equal(JSON.parse(stdout).packages.numpy.file_name.startsWith(`${mirror}numpy-`), true);
  const unreachable = await kiln("lock", "uses-numpy", "--index-url", base, "--pyodide-base-url", "http://127.0.0.1:9/pyodide/", "--retries", "0", "-o", "-");
  assert.equal(unreachable.code, 1);
  assert.match(unreachable.stderr, /127\.0\.0\.1:9\/pyodide\/pyodide-lock\.json/);
  const notNeeded = await kiln("lock", "app", "--index-url", base, "--pyodide-base-url", "http://127.0.0.1:9/pyodide/", "--retries", "0", "-o", "-");
  assert.equal(notNeeded.code, 0, "a resolution the index satisfies never asks the repository");
});

test("pylock.toml records every file's size, whether the index lists sizes (JSON) or not (HTML), the same from a cold and a warm cache", async () => {
  const lock = async (index: string, cache: string) => {
    const result = await kilnWithEnv({ KILN_CACHE_DIR: join(work, cache) }, "lock", "app", "--index-url", index, "-o", "-");
    assert.equal(result.code, 0, result.stderr);
    return result.stdout;
  };
  const jsonIndex = base.replace(/\/simple\/$/, "/json/simple/");
  for (const [index, cache] of [[base, "sizes-html"], [jsonIndex, "sizes-json"]] as const) {
    const cold = await lock(index, cache);
    const sizes = parsePylock(cold).packages.flatMap((p) => p.wheels.map((w) => [w.filename, w.size]));
    assert.deepEqual(sizes, parsePylock(cold).packages.flatMap((p) => p.wheels.map((w) => [w.filename, files.get(`/files/${w.filename}`)!.length])), index);
    // Warm: pages and metadata from the cache; then with the wheels downloaded into it too.
    assert.equal(await lock(index, cache), cold, `${index}: warm`);
    const installed = await kilnWithEnv({ KILN_CACHE_DIR: join(work, cache) }, "pip", "download", "app", "--index-url", index, "-d", join(work, cache, "downloaded"));
    assert.equal(installed.code, 0, installed.stderr);
    assert.equal(await lock(index, cache), cold, `${index}: with the files in the cache`);
  }
  const sameIndex = (text: string) => text.replaceAll(jsonIndex, base);
  assert.equal(await lock(base, "sizes-html"), sameIndex(await lock(jsonIndex, "sizes-json")), "the same lock from either page format");
});
