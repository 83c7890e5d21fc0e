import { strict as assert } from "node:assert";
import { mkdtempSync, readdirSync, writeFileSync, mkdirSync, statSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { kilnCacheDir } from "./kiln-cache-dir.js";
import { NodeCacheStore, isKilnCacheDirectory } from "./node-cache-store.js";

const home = "/home/me";
const dirs: [string, Record<string, string>, NodeJS.Platform, string][] = [
  ["KILN_CACHE_DIR wins", { KILN_CACHE_DIR: "/c", XDG_CACHE_HOME: "/x" }, "linux", "/c"],
  ["relative KILN_CACHE_DIR is relative to cwd", { KILN_CACHE_DIR: "rel" }, "linux", "/work/rel"],
  ["XDG_CACHE_HOME", { XDG_CACHE_HOME: "/x" }, "linux", "/x/kiln"],
  ["relative XDG_CACHE_HOME is ignored", { XDG_CACHE_HOME: "x" }, "linux", "/home/me/.cache/kiln"],
  ["Linux default", {}, "linux", "/home/me/.cache/kiln"],
  ["macOS default", {}, "darwin", "/home/me/Library/Caches/kiln"],
];

for (const [name, env, platform, expected] of dirs) {
  test(`kilnCacheDir: ${name}`, () => assert.equal(kilnCacheDir(env, { platform, home, cwd: "/work" }), expected));
}

function temporaryRoot(): string {
  return mkdtempSync(join(tmpdir(), "kiln-cache-"));
}

test("NodeCacheStore: write, read, list, delete; missing keys read as undefined", async () => {
  const root = temporaryRoot();
  const store = new NodeCacheStore(root);
  assert.equal(await store.read("blobs/sha256/ab/x"), undefined);
  await store.write("blobs/sha256/ab/x", new Uint8Array([1, 2, 3]));
  await store.write("blobs/sha256/ab/x", new Uint8Array([4, 5]));
  assert.deepEqual(await store.read("blobs/sha256/ab/x"), new Uint8Array([4, 5]));
  assert.deepEqual((await store.list("blobs")).map((e) => [e.key, e.size]), [["blobs/sha256/ab/x", 2]]);
  assert.deepEqual(readdirSync(join(root, "blobs", "sha256", "ab")), ["x"], "no temporary file is left behind");
  await store.delete("blobs/sha256/ab/x");
  await store.delete("blobs/sha256/ab/x");
  assert.deepEqual(await store.list(""), []);
  assert.ok(await isKilnCacheDirectory(root));
  await assert.rejects(store.write("../escape", new Uint8Array()), RangeError);
});

test("NodeCacheStore: an unwritable root is a cacheIo error naming the path", async () => {
  const root = temporaryRoot();
  writeFileSync(join(root, "file"), "x");
  const store = new NodeCacheStore(join(root, "file", "below"));
  await assert.rejects(store.write("http/v1/a", new Uint8Array([1])), (e) => isKilnError(e, "cacheIo") && e.message.includes(join(root, "file")));
});

test("NodeCacheStore: stale temporary files are removed, fresh ones kept", async () => {
  const root = temporaryRoot();
  mkdirSync(join(root, "http"), { recursive: true });
  writeFileSync(join(root, "http", ".tmp-1-old"), "xx");
  writeFileSync(join(root, "http", ".tmp-2-new"), "x");
  const old = new Date(Date.now() - 2 * 3_600_000);
  utimesSync(join(root, "http", ".tmp-1-old"), old, old);
  const store = new NodeCacheStore(root);
  assert.deepEqual(await store.list(""), [], "temporary files are not entries");
  assert.deepEqual(await store.removeStaleTemporaryFiles(3_600_000), { files: 1, bytes: 2 });
  assert.deepEqual(readdirSync(join(root, "http")), [".tmp-2-new"]);
});

test("isKilnCacheDirectory refuses a directory kiln did not create", async () => {
  const root = temporaryRoot();
  assert.ok(await isKilnCacheDirectory(root), "empty is fine");
  assert.ok(await isKilnCacheDirectory(join(root, "missing")));
  writeFileSync(join(root, "precious.txt"), "x");
  assert.equal(await isKilnCacheDirectory(root), false);
});

test("NodeCacheStore: a read refreshes an entry's time for prune, unless it was used within the hour", async () => {
  const root = temporaryRoot();
  const store = new NodeCacheStore(root);
  await store.write("http/v1/old", new Uint8Array([1]));
  await store.write("http/v1/recent", new Uint8Array([2]));
  const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
  const tenMinutesAgo = new Date(Date.now() - 10 * 60 * 1000);
  utimesSync(join(root, "http", "v1", "old"), twoDaysAgo, twoDaysAgo);
  utimesSync(join(root, "http", "v1", "recent"), tenMinutesAgo, tenMinutesAgo);
  assert.deepEqual(await store.read("http/v1/old"), new Uint8Array([1]));
  assert.deepEqual(await store.read("http/v1/recent"), new Uint8Array([2]));
  assert.ok(Date.now() - statSync(join(root, "http", "v1", "old")).mtimeMs < 60_000, "the old entry was touched");
  assert.equal(Math.round(statSync(join(root, "http", "v1", "recent")).mtimeMs), tenMinutesAgo.getTime(), "the recent one was left alone");
});
