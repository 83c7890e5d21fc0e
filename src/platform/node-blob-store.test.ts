import { strict as assert } from "node:assert";
import { mkdtempSync, readdirSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { DirectoryBlobStore } from "./node-blob-store.js";

test("blobs round-trip; absent ones read as undefined; removal is idempotent", async () => {
  const store = new DirectoryBlobStore(join(mkdtempSync(join(tmpdir(), "kiln-blob-")), "blobs"));
  assert.equal(await store.read("missing"), undefined);
  await store.write("a", new Uint8Array([1, 2, 3]));
  assert.deepEqual([...(await store.read("a"))!], [1, 2, 3]);
  await store.remove("a");
  await store.remove("a");
  assert.equal(await store.read("a"), undefined);
});

test("a blob opened for reading in parts reads at any offset, and keeps reading the file it opened", async () => {
  const store = new DirectoryBlobStore(join(mkdtempSync(join(tmpdir(), "kiln-blob-")), "blobs"));
  assert.equal(await store.open("missing"), undefined);
  const bytes = Uint8Array.from({ length: 100_000 }, (_, index) => index % 251);
  await store.write("a", bytes);
  const reader = (await store.open("a"))!;
  assert.equal(reader.size, bytes.length);
  // A writer replacing the blob meanwhile renames a new file into place; this reader is unaffected.
  await store.write("a", new Uint8Array(10));
  const part = new Uint8Array(new SharedArrayBuffer(60_000));
  assert.equal(await reader.readInto(40_000, part), 60_000);
  assert.deepEqual(part, bytes.subarray(40_000));
  const beyond = new Uint8Array(10);
  assert.equal(await reader.readInto(99_995, beyond), 5, "fewer bytes only at the end");
  await reader.close();
});

test("only the newest maxEntries blobs are kept, and no temporary file is left", async () => {
  const directory = mkdtempSync(join(tmpdir(), "kiln-blob-"));
  const store = new DirectoryBlobStore(directory, { maxEntries: 3 });
  for (let index = 0; index < 6; index++) {
    await store.write(`blob-${index}`, new Uint8Array([index]));
    // Distinct modification times, oldest first, whatever the file system's resolution.
    utimesSync(store.pathOf(`blob-${index}`), 1_000 + index, 1_000 + index);
  }
  store.prune();
  assert.deepEqual(readdirSync(directory).sort(), ["blob-3", "blob-4", "blob-5"]);
});

test("sidecars (KEY.SUFFIX beside KEY) do not count towards maxEntries, and go with their blob", async () => {
  const directory = mkdtempSync(join(tmpdir(), "kiln-blob-"));
  const store = new DirectoryBlobStore(directory, { maxEntries: 2 });
  let time = 1_000;
  const write = async (key: string) => {
    await store.write(key, new Uint8Array([1]));
    utimesSync(store.pathOf(key), time, time++);
  };
  await write("snapshot-a");
  await write("snapshot-a.manifest");
  await write("snapshot-b");
  await write("snapshot-b.manifest");
  await write("snapshot-b.imports");
  store.prune();
  assert.deepEqual(readdirSync(directory).sort(), ["snapshot-a", "snapshot-a.manifest", "snapshot-b", "snapshot-b.imports", "snapshot-b.manifest"]);
  await write("snapshot-c");
  store.prune();
  assert.deepEqual(readdirSync(directory).sort(), ["snapshot-b", "snapshot-b.imports", "snapshot-b.manifest", "snapshot-c"]);
});

test("a key that is not a plain file name is refused", () => {
  const store = new DirectoryBlobStore("/nonexistent");
  for (const key of ["../x", "a/b", "", "x y"]) assert.throws(() => store.pathOf(key), RangeError);
});
