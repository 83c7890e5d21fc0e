import { strict as assert } from "node:assert";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { BlobCache, writeCacheRecord } from "../../src/cache/index.js";
import { runCli } from "../../src/cli/main.js";
import { NodeCacheStore } from "../../src/platform/node.js";

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
  assert.deepEqual(JSON.parse(prune.stdout), { directory: root, removedFiles: 1, removedBytes: 1, keptFiles: 2, keptBytes: 4 + (await store.read("http/v1/good"))!.byteLength - 1 });
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
