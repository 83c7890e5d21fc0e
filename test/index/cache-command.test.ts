import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { BlobCache, writeCacheRecord } from "../../src/cache/index.js";
import { runCli } from "../../src/cli/main.js";
import { installWheels, venvScheme } from "../../src/installer/index.js";
import { NodeCacheStore } from "../../src/platform/node.js";
import { nodeFileSystem } from "../../src/platform/node-file-system.js";
import { nodeUnpackedWheelCache } from "../../src/platform/node-wheel-cache.js";
import { compiledStdlibStore, withCompiledStdlib } from "../../src/platform/node-compiled-stdlib.js";
import { patchedGlueName } from "../../src/platform/node-patched-glue.js";
import { runtimeFilesIn } from "../../src/platform/node-runtime-host.js";
import { compiledStdlibName, defaultStartupConfig, encodeSnapshotFile, preloadKey, preloadNames, snapshotKey, snapshotName, startProfileIdentity, startProfileName, type PreloadRequest } from "../../src/runtime/index.js";
import { makeWheel } from "../installer/make-wheel.js";

async function kiln(argv: string[], env: Record<string, string>) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env, cwd: process.cwd() });
  return { code, stdout, stderr };
}

const nothing = { removedFiles: 0, removedBytes: 0, keptFiles: 0, keptBytes: 0 };
const emptyRuntimeFolders = { stdlib: nothing, startProfiles: nothing, glue: nothing, linkLayouts: nothing, snapshots: nothing, runtimeDescriptions: nothing, bytecode: nothing, sideModuleCode: nothing };

test("kiln cache dir prints KILN_CACHE_DIR (or --cache-dir)", async () => {
  assert.equal((await kiln(["cache", "dir"], { KILN_CACHE_DIR: "/tmp/kiln-x" })).stdout, "/tmp/kiln-x\n");
  assert.equal((await kiln(["cache", "dir", "--cache-dir", "/tmp/kiln-y"], { KILN_CACHE_DIR: "/tmp/kiln-x" })).stdout, "/tmp/kiln-y\n");
  assert.equal((await kiln(["cache", "dir"], { XDG_CACHE_HOME: "/tmp/xdg" })).stdout, "/tmp/xdg/kiln\n");
});

test("kiln cache prune removes damaged entries; clean removes everything", async () => {
  const root = join(mkdtempSync(join(tmpdir(), "kiln-cli-")), "cache");
  const store = new NodeCacheStore(root);
  await new BlobCache(store).put(new Uint8Array([1, 2, 3]));
  await writeCacheRecord(store, "http/v1/good", {}, new Uint8Array([1]));
  await store.write("http/v1/bad", new Uint8Array([1]));
  const prune = await kiln(["cache", "prune", "--json"], { KILN_CACHE_DIR: root });
  assert.equal(prune.code, 0, prune.stderr);
  assert.deepEqual(JSON.parse(prune.stdout), { directory: root, removedFiles: 1, removedBytes: 1, keptFiles: 2, keptBytes: 4 + (await store.read("http/v1/good"))!.byteLength - 1, unpackedWheels: { removed: 0, kept: 0 }, ...emptyRuntimeFolders });
  const clean = await kiln(["cache", "clean"], { KILN_CACHE_DIR: root });
  assert.equal(clean.code, 0, clean.stderr);
  assert.match(clean.stdout, /^Removed 2 files/);
  assert.equal(existsSync(root), false);
});

test("kiln cache clean refuses a directory kiln did not create", async () => {
  const root = mkdtempSync(join(tmpdir(), "kiln-cli-"));
  writeFileSync(join(root, "thesis.tex"), "precious");
  const result = await kiln(["cache", "clean"], { KILN_CACHE_DIR: root });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /not a kiln cache/);
  assert.ok(existsSync(join(root, "thesis.tex")));
  const bad = await kiln(["cache", "prune", "--max-age", "soon"], { KILN_CACHE_DIR: root });
  assert.equal(bad.code, 2);
});

test("kiln cache prune removes unpacked wheels unused for --max-age days; environments keep what they installed from them", async () => {
  const root = join(mkdtempSync(join(tmpdir(), "kiln-cli-")), "cache");
  const cache = await nodeUnpackedWheelCache(root);
  const [stale, fresh] = ["1.0", "2.0"].map((version) => makeWheel({ name: "demo", version, files: { "demo/__init__.py": `VERSION = "${version}"\n` } }));
  for (const [index, wheel] of [stale!, fresh!].entries()) {
    await installWheels([{ wheel: wheel.bytes, filename: wheel.filename, requested: true }], { scheme: venvScheme(join(root, "..", `env${index}`), "3.14"), fs: nodeFileSystem(), wheelCache: cache });
  }
  const entry = (wheel: { bytes: Uint8Array }) => cache.entryDirectory(createHash("sha256").update(wheel.bytes).digest("hex"));
  const daysAgo = (days: number) => (Date.now() - days * 86_400_000) / 1000;
  utimesSync(join(entry(stale!), "entry.json"), daysAgo(40), daysAgo(40));
  utimesSync(join(entry(fresh!), "entry.json"), daysAgo(20), daysAgo(20));
  const staleFiles = JSON.parse(readFileSync(join(entry(stale!), "entry.json"), "utf8")).files.length as number;

  const prune = await kiln(["cache", "prune", "--json"], { KILN_CACHE_DIR: root });

  assert.equal(prune.code, 0, prune.stderr);
  const result = JSON.parse(prune.stdout);
  assert.deepEqual(result.unpackedWheels, { removed: 1, kept: 1 });
  assert.equal(existsSync(entry(stale!)), false);
  assert.equal(existsSync(join(entry(fresh!), "files", "demo", "__init__.py")), true);
  assert.equal(result.removedFiles, staleFiles + 1, "the stale entry's files and its manifest");
  assert.equal(readFileSync(join(root, "..", "env0", "lib", "python3.14", "site-packages", "demo", "__init__.py"), "utf8"), 'VERSION = "1.0"\n');
  const text = await kiln(["cache", "prune", "--max-age", "10"], { KILN_CACHE_DIR: root });
  assert.match(text.stdout, /including 1 unpacked wheel\n/);
  assert.equal(existsSync(entry(fresh!)), false);
});

/** Writes `path` (and its directory) with `bytes`, last used and written `days` ago. */
function writeAged(path: string, bytes: Uint8Array | string, days: number): string {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, bytes);
  const time = (Date.now() - days * 86_400_000) / 1000;
  utimesSync(path, time, time);
  return path;
}

/** A kiln cache with a runtime in its runtimes/, as kiln fetches one: that build is in use. */
async function cacheWithRuntime(): Promise<{ root: string; runtime: string; build: string }> {
  const root = join(mkdtempSync(join(tmpdir(), "kiln-cli-")), "cache");
  assert.equal((await kiln(["cache", "dir"], { KILN_CACHE_DIR: root })).code, 0);
  const runtime = join(root, "runtimes", "pyodide-0.0.1");
  writeAged(join(runtime, "package.json"), JSON.stringify({ version: "0.0.1" }), 0);
  for (const name of ["pyodide.asm.wasm", "pyodide.asm.mjs", "pyodide.mjs", "python_stdlib.zip", ".kiln-complete"]) writeAged(join(runtime, name), "x", 0);
  return { root, runtime, build: (await runtimeFilesIn(runtime)).buildIdentity };
}

// A zip file with no entries: just the end of central directory record.
const emptyZip = Uint8Array.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]);

test("kiln cache prune keeps the compiled stdlib and start profile of runtime builds in use, and prunes bytecode and extension modules' compiled code by age; kiln cache info reports them", async () => {
  const { root, runtime, build } = await cacheWithRuntime();
  const live = writeAged(join(root, "stdlib", compiledStdlibName(build)), emptyZip, 90);
  const liveProfile = writeAged(join(root, "start-profiles", startProfileName(startProfileIdentity(withCompiledStdlib(await runtimeFilesIn(runtime), compiledStdlibStore(root))))), "p", 90);
  const gone = writeAged(join(root, "stdlib", "stdlib-00000000000000.zip"), emptyZip, 40);
  const recent = writeAged(join(root, "stdlib", "stdlib-11111111111111.zip"), emptyZip, 3);
  const temporary = writeAged(join(root, "stdlib", "stdlib-11111111111111.zip.42.abc.tmp"), "partial", 1);
  const goneProfile = writeAged(join(root, "start-profiles", "profile-00000000000000"), "p", 40);
  const liveGlue = writeAged(join(root, "glue", `${patchedGlueName(runtime)}.mjs`), "g", 90);
  const liveLayout = writeAged(join(root, "link-layouts", patchedGlueName(runtime)), "l", 90);
  const goneGlue = writeAged(join(root, "glue", `${"0".repeat(32)}.unrecognized`), "g", 40);
  const bytecode = join(root, "bytecode", "cpython-314-3.14");
  const pyc = new Uint8Array(40);
  const unused = writeAged(join(bytecode, "aa", `aa${"0".repeat(62)}.pyc`), pyc, 40);
  const used = writeAged(join(bytecode, "bb", `bb${"0".repeat(62)}.pyc`), pyc, 2);
  const damaged = writeAged(join(bytecode, "bb", `bb${"1".repeat(62)}.pyc`), new Uint8Array(8), 2);
  const unusedCode = writeAged(join(root, "side-module-code", `side-${"0".repeat(24)}`), "c", 40);
  const usedCode = writeAged(join(root, "side-module-code", `side-${"1".repeat(24)}`), "c", 2);
  const codeWrite = writeAged(join(root, "side-module-code", `side-${"1".repeat(24)}.42.abc.tmp`), "c", 1);

  const info = JSON.parse((await kiln(["cache", "info", "--json"], { KILN_CACHE_DIR: root })).stdout);
  const folder = (name: string) => info.folders.find((f: { name: string }) => f.name === name);
  assert.deepEqual([folder("bytecode").files, folder("bytecode").bytes], [3, 88]);
  assert.deepEqual([folder("stdlib").files, folder("stdlib").bytes], [4, 3 * 22 + 7]);
  assert.equal(folder("start-profiles").files, 2);

  const prune = await kiln(["cache", "prune", "--json"], { KILN_CACHE_DIR: root });
  assert.equal(prune.code, 0, prune.stderr);
  const result = JSON.parse(prune.stdout);
  assert.deepEqual(result.stdlib, { removedFiles: 2, removedBytes: 22 + 7, keptFiles: 2, keptBytes: 44 });
  assert.deepEqual(result.startProfiles, { removedFiles: 1, removedBytes: 1, keptFiles: 1, keptBytes: 1 });
  assert.deepEqual(result.bytecode, { removedFiles: 2, removedBytes: 48, keptFiles: 1, keptBytes: 40 });
  assert.deepEqual(result.sideModuleCode, { removedFiles: 2, removedBytes: 2, keptFiles: 1, keptBytes: 1 });
  assert.deepEqual(result.glue, { removedFiles: 1, removedBytes: 1, keptFiles: 1, keptBytes: 1 });
  assert.deepEqual(result.linkLayouts, { removedFiles: 0, removedBytes: 0, keptFiles: 1, keptBytes: 1 });
  for (const path of [live, liveProfile, liveGlue, liveLayout, recent, used, usedCode]) assert.ok(existsSync(path), path);
  for (const path of [gone, temporary, goneProfile, goneGlue, unused, damaged, unusedCode, codeWrite]) assert.equal(existsSync(path), false, path);
  assert.deepEqual(readdirSync(bytecode), ["bb"], "a shard the prune emptied goes too");

  const text = await kiln(["cache", "info"], { KILN_CACHE_DIR: root });
  assert.match(text.stdout, /^ {2}bytecode +40 B +1 file {2}modules compiled at install/m);
  assert.match(text.stdout, /^ {2}stdlib +44 B +2 files {2}byte-compiled standard libraries/m);
});

test("kiln cache prune removes the memory snapshots (with their sidecars) and runtime descriptions of runtime builds no longer in use", async () => {
  const { root, build } = await cacheWithRuntime();
  const goneBuild = "0.0.0|/gone/pyodide|pyodide.asm.wasm:1:1";
  const baseKey = (buildIdentity: string, driverSource = "driver") => snapshotKey({ buildIdentity, startup: defaultStartupConfig, driverSource });
  const snapshot = (key: string, days: number, name = snapshotName(key)) =>
    writeAged(join(root, "snapshots", name), encodeSnapshotFile(new Uint8Array(10), { key, checksum: () => 0 }), days);
  const request: PreloadRequest = { modules: ["pytest"], venv: { prefix: "/v", sitePackages: "/v/lib/python3.14/site-packages", includeSystemSitePackages: false }, searchedFirst: [], warnOptions: [], env: {} };
  const preload = (buildIdentity: string, days: number) => {
    const names = preloadNames(baseKey(buildIdentity), request);
    const sidecar = writeAged(join(root, "snapshots", `${names.snapshot}.imports`), "[]", days);
    return [snapshot(preloadKey(baseKey(buildIdentity), request), days, names.snapshot), writeAged(join(root, "snapshots", names.manifest), "{}", days), sidecar];
  };
  const description = (buildIdentity: string, days: number, name: string) =>
    writeAged(join(root, "runtime-descriptions", name), JSON.stringify({ key: JSON.stringify({ format: 1, build: buildIdentity, kiln: "0.1.0" }), description: {} }), days);
  const kept = [
    snapshot(baseKey(build), 90),
    ...preload(build, 90),
    snapshot(baseKey(goneBuild, "an earlier driver"), 3),
    description(build, 90, "description-live.json"),
    description(goneBuild, 3, "description-recent.json"),
  ];
  const removed = [
    snapshot(baseKey(goneBuild), 40),
    ...preload(goneBuild, 40),
    writeAged(join(root, "snapshots", "snapshot-00000000000000.manifest"), "{}", 1),
    writeAged(join(root, "snapshots", "snapshot-11111111111111"), "not a snapshot", 1),
    description(goneBuild, 40, "description-gone.json"),
    writeAged(join(root, "runtime-descriptions", "description-damaged.json"), "{", 1),
  ];

  const prune = await kiln(["cache", "prune", "--json"], { KILN_CACHE_DIR: root });
  assert.equal(prune.code, 0, prune.stderr);
  const result = JSON.parse(prune.stdout);
  for (const path of kept) assert.ok(existsSync(path), `kept: ${path}`);
  for (const path of removed) assert.equal(existsSync(path), false, `removed: ${path}`);
  assert.deepEqual([result.snapshots.removedFiles, result.snapshots.keptFiles], [6, 5]);
  assert.deepEqual([result.runtimeDescriptions.removedFiles, result.runtimeDescriptions.keptFiles], [2, 2]);
  assert.equal(result.removedFiles, 8, "the total counts every folder");
});

// KILN_CACHE_DIR or --cache-dir pointed at a directory with other things in it (a home, a project):
// kiln must not mark it as its cache, and clean and prune must delete nothing in it.
test("kiln cache clean and prune refuse a directory that is not kiln's cache, even one an older kiln tagged", async () => {
  const home = join(mkdtempSync(join(tmpdir(), "kiln-not-a-cache-")), "home");
  const files = {
    ".bashrc": "rc",
    "Documents/thesis.tex": "thesis",
    "metadata/notes.txt": "notes",
    "http/server.py": "code",
    "docs/.tmp-draft": "draft",
    "snapshots/photo.jpg": "photo",
  };
  for (const [path, text] of Object.entries(files)) writeAged(join(home, path), text, 90);
  // A write into it (an install with --cache-dir ~) does not claim it.
  await new NodeCacheStore(home).write("http/v1/entry", new TextEncoder().encode("x"));
  assert.equal(existsSync(join(home, "CACHEDIR.TAG")), false);
  for (const command of [["cache", "prune"], ["cache", "clean"]]) {
    const result = await kiln(command, { KILN_CACHE_DIR: home });
    assert.equal(result.code, 1, `${command.join(" ")}: ${result.stdout}`);
    assert.match(result.stderr, /it is not a kiln cache/);
  }
  // Nor does a tag an older kiln wrote there make it one.
  writeFileSync(join(home, "CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by kiln.\n");
  for (const command of [["cache", "prune"], ["cache", "clean"]]) assert.equal((await kiln(command, { KILN_CACHE_DIR: home })).code, 1, command.join(" "));
  for (const [path, text] of Object.entries(files)) assert.equal(readFileSync(join(home, path), "utf8"), text, path);
});

test("a new cache directory is marked as kiln's on first write, and an untagged one holding only kiln's folders may be pruned", async () => {
  const root = join(mkdtempSync(join(tmpdir(), "kiln-new-cache-")), "cache");
  await new NodeCacheStore(root).write("http/v1/entry", new TextEncoder().encode("x"));
  assert.equal(existsSync(join(root, "CACHEDIR.TAG")), true);
  const runOnly = join(mkdtempSync(join(tmpdir(), "kiln-run-cache-")), "cache");
  writeAged(join(runOnly, "snapshots", "snapshot-00000000000000"), "not a snapshot", 1);
  writeAged(join(runOnly, "bin", "python3"), "#!/bin/sh\n", 1);
  const prune = await kiln(["cache", "prune"], { KILN_CACHE_DIR: runOnly });
  assert.equal(prune.code, 0, prune.stderr);
});
