import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";
import { zipSync } from "fflate";
import { MemoryCacheStore } from "../../src/cache/index.js";
import { isKilnError } from "../../src/core/index.js";
import { FindLinksSource, HttpSession, PyodideLockSource, combineSources, fetchHttpClient, type VersionedFiles } from "../../src/index/index.js";
import { nodeLocalFiles } from "../../src/platform/node.js";
import { makeWheel, metadataText, sha256 } from "./fixtures.js";
import { serveBytes, serveText, startLoopbackServer, type LoopbackServer } from "./loopback-server.js";

// Pyodide's repository: a copy of the npm package's real pyodide-lock.json, served on loopback,
// with two entries pointed at small synthetic files (the CDN's real wheels are out of reach).
const realLock = JSON.parse(readFileSync(new URL("../../node_modules/pyodide/pyodide-lock.json", import.meta.url), "utf8"));
const pydanticCore = makeWheel({ name: "pydantic-core", version: "2.41.5", requires: ["typing-extensions>=4.14.1"], padding: 200_000 });
const sharedLibrary = zipSync({ "libblis.so": new Uint8Array(100) });
const lock = structuredClone(realLock);
lock.packages["pydantic-core"].sha256 = sha256(pydanticCore);
lock.packages.libblis.sha256 = sha256(sharedLibrary);
const sdist = new Uint8Array([31, 139, 8, 0]);
const demoWheel = makeWheel({ name: "demo", version: "1.0", requires: ["dep"] });
const localWheel = () => demoWheel;
let server: LoopbackServer;
// A remote lock whose file names are URLs of other schemes: it must not make kiln read local files.
const entry = (name: string, fileName: string) => ({ name, version: "1.0", file_name: fileName, sha256: "a".repeat(64), depends: [], imports: [name], package_type: "package", install_dir: "site" });
const lockPointingElsewhere = {
  info: { abi_version: "2026_0", python: "3.14.2", platform: "emscripten_5_0_3", arch: "wasm32" },
  packages: {
    local: entry("local", "file:///etc/local-1.0-py3-none-any.whl"),
    inline: entry("inline", "data:application/zip;base64,UEsFBg==#local-1.0-py3-none-any.whl"),
    absolute: entry("absolute", "https://cdn.example/absolute-1.0-py3-none-any.whl"),
  },
};

function session() {
  return new HttpSession({ http: fetchHttpClient(), retry: { retries: 1, initialDelayMs: 1, maxDelayMs: 1 } });
}

before(async () => {
  server = await startLoopbackServer({
    "/pyodide/pyodide-lock.json": (_q, r) => r.writeHead(302, { location: "/cdn/v314/full/pyodide-lock.json" }).end(),
    "/cdn/v314/full/pyodide-lock.json": serveText(JSON.stringify(lock), { "content-type": "application/json" }),
    [`/cdn/v314/full/${realLock.packages["pydantic-core"].file_name}`]: serveBytes(pydanticCore),
    [`/cdn/v314/full/${realLock.packages.libblis.file_name}`]: serveBytes(sharedLibrary),
    "/elsewhere/pyodide-lock.json": serveText(JSON.stringify(lockPointingElsewhere)),
    "/broken/pyodide-lock.json": serveText('{"info": {"abi_version": "2026_0", "python": "3.14.2"}, "packages": {"x": {"name": "x"}}}'),
    "/links/": serveText(`<a href="files/demo-1.0-py3-none-any.whl#sha256=${sha256(localWheel())}">w</a><a href="files/demo-extra-2.0.tar.gz">s</a>`),
    "/links/files/demo-1.0-py3-none-any.whl": serveBytes(localWheel()),
  });
});

after(() => server.close());


test("Pyodide repository: the lock's info, one file per project, URLs relative to the lock after redirects", async () => {
  const pyodide = new PyodideLockSource({ baseUrl: `${server.url}/pyodide/`, session: session() });
  const parsed = await pyodide.lock();
  assert.equal(parsed.info.abiVersion, "2026_0");
  assert.equal(parsed.packages.size, Object.keys(realLock.packages).length);
  const [file] = await pyodide.listFiles("Pydantic_Core");
  assert.equal(file!.filename, realLock.packages["pydantic-core"].file_name);
  assert.equal(file!.url, `${server.url}/cdn/v314/full/${file!.filename}`);
  assert.deepEqual(file!.pyodide, {
    name: "pydantic_core",
    version: "2.41.5",
    depends: ["typing-extensions"],
    imports: ["pydantic_core"],
    packageType: "package",
    installDir: "site",
  });
  assert.equal(file!.indexUrl, `${server.url}/pyodide/pyodide-lock.json`);
  assert.deepEqual(await pyodide.listFiles("not-in-pyodide"), []);
});

test("Pyodide repository: metadata over range requests, files verified by the lock's sha256", async () => {
  const pyodide = new PyodideLockSource({ baseUrl: `${server.url}/pyodide`, session: session() });
  const [file] = await pyodide.listFiles("pydantic-core");
  assert.equal(await pyodide.fetchMetadata(file!), metadataText("pydantic-core", "2.41.5", ["typing-extensions>=4.14.1"]));
  assert.deepEqual(await pyodide.fetchFile(file!), pydanticCore);
  const [numpy] = await pyodide.listFiles("numpy");
  await assert.rejects(pyodide.fetchFile(numpy!), (e) => isKilnError(e, "httpStatus") && e.message.includes("numpy") && /--pyodide-base-url.*--no-pyodide-index/.test(e.hint ?? ""));
});

test("Pyodide repository: shared libraries have no metadata but carry depends and installDir", async () => {
  const pyodide = new PyodideLockSource({ baseUrl: `${server.url}/pyodide/`, session: session() });
  const [blis] = await pyodide.listFiles("libblis");
  assert.equal(blis!.pyodide!.installDir, "dynlib");
  await assert.rejects(pyodide.fetchMetadata(blis!), (e) => isKilnError(e, "metadataUnavailable") && /shared_library/.test(e.message));
  assert.deepEqual(await pyodide.fetchFile(blis!), sharedLibrary);
});

test("Pyodide repository: a remote lock's file names resolve only to http(s) URLs", async () => {
  const pyodide = new PyodideLockSource({ baseUrl: `${server.url}/elsewhere/`, session: session() });
  assert.deepEqual(await pyodide.listFiles("local"), []);
  assert.deepEqual(await pyodide.listFiles("inline"), []);
  const [absolute] = await pyodide.listFiles("absolute");
  assert.deepEqual([absolute!.filename, absolute!.url], ["absolute-1.0-py3-none-any.whl", "https://cdn.example/absolute-1.0-py3-none-any.whl"]);
});

test("Pyodide repository: a broken lock names the field; a local copy needs no request", async () => {
  const broken = new PyodideLockSource({ baseUrl: `${server.url}/broken/`, session: session() });
  await assert.rejects(broken.listFiles("x"), (e) => isKilnError(e, "invalidIndexPage") && /packages\["x"\]\.sha256/.test(e.message) && /\/broken\/pyodide-lock\.json/.test(e.message));
  const hits = server.log.length;
  const local = new PyodideLockSource({ baseUrl: "https://cdn.example.org/pyodide/v314.0.7/full/", lockText: JSON.stringify(realLock), session: session() });
  const [numpy] = await local.listFiles("numpy");
  assert.equal(numpy!.url, `https://cdn.example.org/pyodide/v314.0.7/full/${realLock.packages.numpy.file_name}`);
  assert.equal(server.log.length, hits);
});

test("find-links directory: files matched by project, metadata read from the local wheel", async () => {
  const directory = mkdtempSync(join(tmpdir(), "kiln-links-"));
  writeFileSync(join(directory, "demo-1.0-py3-none-any.whl"), localWheel());
  writeFileSync(join(directory, "demo-0.9.tar.gz"), sdist);
  writeFileSync(join(directory, "demo_extra-1.0-py3-none-any.whl"), localWheel());
  writeFileSync(join(directory, "notes.txt"), "x");
  const links = new FindLinksSource({ location: pathToFileURL(directory).href, session: session(), files: nodeLocalFiles });
  const files = await links.listFiles("demo");
  assert.deepEqual(files.map((f) => f.filename), ["demo-0.9.tar.gz", "demo-1.0-py3-none-any.whl"]);
  assert.equal(await links.fetchMetadata(files[1]!), metadataText("demo", "1.0", ["dep"]));
  assert.deepEqual(await links.fetchFile(files[1]!), localWheel());
  await assert.rejects(links.fetchMetadata(files[0]!), (e) => isKilnError(e, "metadataUnavailable"));
  assert.deepEqual((await links.listFiles("demo-extra")).map((f) => f.filename), ["demo_extra-1.0-py3-none-any.whl"]);
  const missing = new FindLinksSource({ location: pathToFileURL(join(directory, "nope")).href, session: session(), files: nodeLocalFiles });
  await assert.rejects(missing.listFiles("demo"), (e) => isKilnError(e, "findLinksUnreadable") && e.message.includes("nope"));
});

test("find-links directory: a wheel's METADATA is cached by the file's identity, so an unchanged wheel is not opened again", async () => {
  const directory = mkdtempSync(join(tmpdir(), "kiln-links-"));
  const path = join(directory, "demo-1.0-py3-none-any.whl");
  writeFileSync(path, localWheel());
  const cache = new MemoryCacheStore();
  let opened = 0;
  const files = { ...nodeLocalFiles, openFile: (url: string) => (opened++, nodeLocalFiles.openFile(url)) };
  const source = () => new FindLinksSource({ location: pathToFileURL(directory).href, session: new HttpSession({ http: fetchHttpClient(), cache }), files });
  const [wheel] = await source().listFiles("demo");
  assert.equal(await source().fetchMetadata(wheel!), metadataText("demo", "1.0", ["dep"]));
  assert.equal(await source().fetchMetadata(wheel!), metadataText("demo", "1.0", ["dep"]));
  assert.equal(opened, 1, "the second read comes from the cache");
  // Rewritten in place with other metadata: its identity changes, so it is read again.
  writeFileSync(path, zipSync({ "demo-1.0.dist-info/METADATA": new TextEncoder().encode(metadataText("demo", "1.0", ["other"])), "demo-1.0.dist-info/WHEEL": new TextEncoder().encode("Wheel-Version: 1.0\n") }));
  assert.equal(await source().fetchMetadata(wheel!), metadataText("demo", "1.0", ["other"]));
  assert.equal(opened, 2);
  const uncached = new FindLinksSource({ location: pathToFileURL(directory).href, session: session(), files });
  await uncached.fetchMetadata(wheel!);
  assert.equal(opened, 3, "without a cache every read opens the wheel");
});

test("find-links page: links relative to the page, hashes checked, combined before an index", async () => {
  const links = new FindLinksSource({ location: `${server.url}/links/`, session: session() });
  const files = await links.listFiles("demo");
  assert.deepEqual(files.map((f) => f.filename), ["demo-1.0-py3-none-any.whl"]);
  assert.deepEqual((await links.listFiles("demo-extra")).map((f) => f.filename), ["demo-extra-2.0.tar.gz"]);
  const combined = combineSources([links, new PyodideLockSource({ baseUrl: `${server.url}/pyodide/`, session: session() })]);
  const [wheel] = await combined.listFiles("demo");
  assert.deepEqual(await combined.fetchFile(wheel!), localWheel());
  assert.equal((await combined.listFiles("pydantic-core"))[0]!.indexUrl, `${server.url}/pyodide/pyodide-lock.json`);
});

test("buildPackageSource: find-links, then extra indexes, then the index, Pyodide as the fallback; --no-index keeps the rest", async () => {
  const { buildPackageSource, resolveIndexSettings } = await import("../../src/index/index.js");
  const directory = mkdtempSync(join(tmpdir(), "kiln-links-"));
  writeFileSync(join(directory, "pydantic_core-9.9-py3-none-any.whl"), localWheel());
  const settings = resolveIndexSettings({
    cwdUrl: "file:///",
    env: { KILN_PYODIDE_BASE_URL: `${server.url}/pyodide/` },
    flags: { indexUrl: `${server.url}/nothing/`, findLinks: [directory] },
  });
  const source = buildPackageSource(settings, { session: session(), files: nodeLocalFiles });
  assert.deepEqual((await source.listFiles("pydantic-core")).map((f) => f.filename), ["pydantic_core-9.9-py3-none-any.whl"]);
  assert.equal((await source.listFiles("numpy"))[0]!.indexUrl, `${server.url}/pyodide/pyodide-lock.json`);
  assert.deepEqual(await source.listFiles("not-anywhere"), []);
  assert.equal(source.name, `find-links ${pathToFileURL(directory).href}, ${server.url}/nothing/, Pyodide repository ${server.url}/pyodide/pyodide-lock.json (fallback)`);
  const offline = buildPackageSource({ ...settings, noIndex: true, noPyodideIndex: true }, { session: session(), files: nodeLocalFiles });
  assert.equal(offline.name, `find-links ${pathToFileURL(directory).href}`);
});

test("combineSources: a fallback serves a project only when the primary sources have no usable file", async () => {
  const wheel = (filename: string, indexUrl: string) => ({ filename, url: `${indexUrl}${filename}`, hashes: {}, indexUrl });
  const fake = (url: string, files: Record<string, string[]>) => ({
    name: url,
    url,
    listFiles: async (project: string) => (files[project] ?? []).map((name) => wheel(name, url)),
    fetchMetadata: async () => "",
    fetchFile: async () => new Uint8Array(),
  });
  const index = fake("https://index/", {
    numpy: ["numpy-2.5.0-cp314-cp314-manylinux_2_28_x86_64.whl"],
    pytest: ["pytest-9.2.0-py3-none-any.whl"],
  });
  const pyodide = fake("https://pyodide/", {
    numpy: ["numpy-2.4.6-cp314-cp314-pyemscripten_2026_0_wasm32.whl"],
    pytest: ["pytest-9.0.2-py3-none-any.whl"],
    "only-pyodide": ["only_pyodide-1.0-py3-none-any.whl"],
  });
  const combined = combineSources([index], { fallbacks: [pyodide] });
  const isUsable = (file: { filename: string }) => !file.filename.includes("manylinux");
  // listFiles and the grouped listing the resolver reads (listVersions) choose the same way.
  const names = async (project: string, usable?: typeof isUsable) => {
    const files = (await combined.listFiles(project, usable ? { isUsable: usable } : {})).map((f) => f.filename);
    const grouped = (await combined.listVersions!(project, usable ? { isUsable: usable } : {})).all().map((f) => f.filename);
    assert.deepEqual(grouped, files, project);
    return files;
  };
  assert.deepEqual(await names("pytest", isUsable), ["pytest-9.2.0-py3-none-any.whl"]);
  assert.deepEqual(await names("numpy", isUsable), ["numpy-2.4.6-cp314-cp314-pyemscripten_2026_0_wasm32.whl"]);
  assert.deepEqual(await names("numpy"), ["numpy-2.5.0-cp314-cp314-manylinux_2_28_x86_64.whl"]);
  assert.deepEqual(await names("only-pyodide", isUsable), ["only_pyodide-1.0-py3-none-any.whl"]);
  assert.deepEqual(await names("nowhere", isUsable), []);
});

test("combineSources listVersions: first index wins per project; unsafe-best-match merges each version's files from every index", async () => {
  const fake = (url: string, files: Record<string, string[]>) => ({
    name: url,
    url,
    listFiles: async (project: string) => (files[project] ?? []).map((filename) => ({ filename, url: `${url}${filename}`, hashes: {}, indexUrl: url })),
    fetchMetadata: async () => "",
    fetchFile: async () => new Uint8Array(),
  });
  const extra = fake("https://extra/", { demo: ["demo-1.0-py3-none-any.whl", "demo-2.0.tar.gz"] });
  const index = fake("https://index/", { demo: ["demo-2.0-py3-none-any.whl", "demo-3.0-py3-none-any.whl"], other: ["other-1.0.tar.gz"] });
  const owners = (listing: VersionedFiles, version: string) => listing.filesOf(version).map((f) => `${f.indexUrl} ${f.filename}`);
  const first = combineSources([extra, index]);
  const demo = await first.listVersions!("demo");
  assert.deepEqual(demo.versions, ["1.0", "2.0"]);
  assert.deepEqual(owners(demo, "2.0"), ["https://extra/ demo-2.0.tar.gz"]);
  assert.deepEqual((await first.listVersions!("other")).versions, ["1.0"]);
  const merged = await combineSources([extra, index], { strategy: "unsafe-best-match" }).listVersions!("demo");
  assert.deepEqual(merged.versions, ["1.0", "2.0", "3.0"]);
  assert.deepEqual(owners(merged, "2.0"), ["https://extra/ demo-2.0.tar.gz", "https://index/ demo-2.0-py3-none-any.whl"]);
  assert.deepEqual((await first.listVersions!("nowhere")).versions, []);
});
