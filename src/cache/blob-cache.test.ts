import { strict as assert } from "node:assert";
import { test } from "node:test";
import { BlobCache } from "./blob-cache.js";
import { openCacheRecord, readCacheRecord, writeCacheRecord } from "./cache-record.js";
import { digestHex, strongestHash } from "./digest.js";
import { MemoryCacheStore } from "./memory-cache-store.js";
import { pruneCache } from "./prune-cache.js";

const bytes = new TextEncoder().encode("wheel bytes");

test("digestHex matches known vectors", async () => {
  assert.equal(await digestHex("sha256", new TextEncoder().encode("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.equal((await digestHex("sha512", new Uint8Array())).slice(0, 16), "cf83e1357eefb8bd");
});

test("strongestHash prefers sha512 > sha384 > sha256 and ignores md5", () => {
  assert.deepEqual(strongestHash({ md5: "a", sha256: "b", sha512: "c" }), ["sha512", "c"]);
  assert.deepEqual(strongestHash({ sha256: "b" }), ["sha256", "b"]);
  assert.equal(strongestHash({ md5: "a" }), undefined);
});

test("BlobCache: put then get; a corrupt blob is dropped and reads as missing", async () => {
  const store = new MemoryCacheStore();
  const blobs = new BlobCache(store);
  const sha = await blobs.put(bytes);
  assert.deepEqual(await blobs.get(sha), bytes);
  await store.write(BlobCache.key(sha), new TextEncoder().encode("wheel bytez"));
  assert.equal(await blobs.get(sha), undefined);
  assert.equal(await store.read(BlobCache.key(sha)), undefined, "the corrupt entry was deleted");
  assert.throws(() => BlobCache.key("../x"), RangeError);
});

test("cache records detect truncation and bit flips", async () => {
  const store = new MemoryCacheStore();
  await writeCacheRecord(store, "http/v1/ab", { url: "u" }, bytes);
  assert.deepEqual((await readCacheRecord<{ url: string }>(store, "http/v1/ab"))?.meta, { url: "u" });
  const raw = (await store.read("http/v1/ab"))!;
  const damaged: Uint8Array[] = [raw.subarray(0, raw.length - 1), raw.map((b, i) => (i === raw.length - 2 ? b ^ 1 : b)), new Uint8Array([1, 2, 3])];
  for (const bad of damaged) {
    await store.write("http/v1/ab", bad);
    assert.equal(await readCacheRecord(store, "http/v1/ab"), undefined);
    assert.equal(await store.read("http/v1/ab"), undefined);
  }
});

test("pruneCache removes old, damaged and dangling entries and leaves other buckets alone", async () => {
  const store = new MemoryCacheStore();
  const blobs = new BlobCache(store);
  const kept = await blobs.put(bytes);
  const corrupt = await blobs.put(new TextEncoder().encode("other"));
  await store.write(BlobCache.key(corrupt), new TextEncoder().encode("tampered"));
  await writeCacheRecord(store, "http/v1/good", {}, bytes);
  await store.write("http/v1/bad", new Uint8Array([0]));
  await store.write("urls/v1/dangling", new TextEncoder().encode("f".repeat(64)));
  await store.write("urls/v1/ok", new TextEncoder().encode(kept));
  await store.write("runtime/snapshot", new Uint8Array([1]));
  const result = await pruneCache(store);
  assert.equal(result.removedFiles, 3);
  assert.deepEqual((await store.list("")).map((e) => e.key).sort(), [BlobCache.key(kept), "http/v1/good", "runtime/snapshot", "urls/v1/ok"].sort());
  const later = await pruneCache(store, { now: Date.now() + 31 * 86_400_000 });
  assert.equal(later.keptFiles, 0);
  assert.deepEqual((await store.list("")).map((e) => e.key), ["runtime/snapshot"]);
});

test("openCacheRecord gives the metadata at once and checks the body only when asked; a damaged body is deleted", async () => {
  const store = new MemoryCacheStore();
  await writeCacheRecord(store, "http/v1/ab", { url: "u" }, bytes);
  const intact = await openCacheRecord<{ url: string }>(store, "http/v1/ab");
  assert.deepEqual(intact?.meta, { url: "u" });
  assert.deepEqual(await intact!.body(), bytes);
  const stored = (await store.read("http/v1/ab"))!;
  stored[stored.length - 1]! ^= 1;
  await store.write("http/v1/ab", stored);
  const damaged = await openCacheRecord<{ url: string }>(store, "http/v1/ab");
  assert.deepEqual(damaged?.meta, { url: "u" }, "the header still reads");
  assert.equal(await damaged!.body(), undefined);
  assert.equal(await store.read("http/v1/ab"), undefined, "and the entry is gone");
  await store.write("http/v1/cd", new TextEncoder().encode("kiln-record-1\nnot json\nbody"));
  assert.equal(await openCacheRecord(store, "http/v1/cd"), undefined);
  assert.equal(await store.read("http/v1/cd"), undefined);
});
