import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { BlobCache, writeCacheRecord } from "../../src/cache/index.js";
import { runCli } from "../../src/cli/main.js";
import { installWheels, venvScheme } from "../../src/installer/index.js";
import { NodeCacheStore } from "../../src/platform/node.js";
import { nodeFileSystem } from "../../src/platform/node-file-system.js";
import { nodeUnpackedWheelCache } from "../../src/platform/node-wheel-cache.js";
import { makeWheel } from "../installer/make-wheel.js";

async function kiln(argv: string[], env: Record<string, string>) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env, cwd: process.cwd() });
  return { code, stdout, stderr };
}

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
  assert.deepEqual(JSON.parse(prune.stdout), { directory: root, removedFiles: 1, removedBytes: 1, keptFiles: 2, keptBytes: 4 + (await store.read("http/v1/good"))!.byteLength - 1, unpackedWheels: { removed: 0, kept: 0 } });
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
