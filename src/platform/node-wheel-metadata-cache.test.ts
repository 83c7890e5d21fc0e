import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { pathToFileURL } from "node:url";
import type { DistributionFile } from "../index/index.js";
import type { WheelMetadataRecord } from "../resolver/index.js";
import { nodeWheelMetadataCache } from "./node-wheel-metadata-cache.js";

const temporary = mkdtempSync(join(tmpdir(), "kiln-wheel-metadata-"));
after(() => rmSync(temporary, { recursive: true, force: true }));
let serial = 0;
const freshCacheDir = () => join(temporary, `cache-${serial++}`);
const record = (name: string): WheelMetadataRecord => ({ name, version: "1.0", extras: [], requiresDist: [["idna", [], ">=2", "", null]] });
const remote = (sha256: string): DistributionFile => ({ filename: "a-1.0-py3-none-any.whl", url: "https://example.org/a-1.0-py3-none-any.whl", hashes: { sha256 }, indexUrl: "https://example.org/simple/" });

function localWheel(name: string): { path: string; file: DistributionFile } {
  const path = join(temporary, `${name}-${serial++}-1.0-py3-none-any.whl`);
  writeFileSync(path, "wheel bytes");
  utimesSync(path, 1_000, 1_000);
  return { path, file: { filename: `${name}-1.0-py3-none-any.whl`, url: pathToFileURL(path).href, hashes: {}, indexUrl: "file:///" } };
}

test("records written by one process are found by the next, under the same key", async () => {
  const cacheDir = freshCacheDir();
  const first = nodeWheelMetadataCache(cacheDir);
  const { file } = localWheel("local");
  const localKey = (await first.keyOf(file))!;
  const remoteKey = (await first.keyOf(remote("A".repeat(64))))!;
  assert.equal(remoteKey, `sha256:${"a".repeat(64)}`);
  first.set(localKey, record("local"));
  first.set(remoteKey, record("remote"));
  assert.deepEqual(first.get(localKey), record("local"));
  first.flush();
  const second = nodeWheelMetadataCache(cacheDir);
  assert.equal(await second.keyOf(file), localKey);
  assert.deepEqual(second.get(localKey), record("local"));
  assert.deepEqual(second.get(remoteKey), record("remote"));
});

test("a wheel without a usable key is not cached", async () => {
  const cache = nodeWheelMetadataCache(freshCacheDir());
  const cases: Array<[string, DistributionFile]> = [
    ["no sha256", { ...remote("a".repeat(64)), hashes: {} }],
    ["a sha256 that is not hex", remote("z".repeat(64))],
    ["a local file that does not exist", { ...remote(""), hashes: {}, url: pathToFileURL(join(temporary, "missing.whl")).href }],
    ["a local directory", { ...remote(""), hashes: {}, url: pathToFileURL(temporary).href }],
  ];
  for (const [name, file] of cases) assert.equal(await cache.keyOf(file), undefined, name);
});

test("a local wheel that changed has another key, so its old record is never used", async (t) => {
  const changes: Array<[string, (path: string) => void]> = [
    ["rewritten with other content", (path) => writeFileSync(path, "other wheel")],
    ["rewritten with the same size and times", (path) => (writeFileSync(path, "WHEEL BYTES"), utimesSync(path, 1_000, 1_000))],
    ["replaced by another file", (path) => (writeFileSync(`${path}.new`, "wheel bytes"), renameSync(`${path}.new`, path))],
  ];
  for (const [name, change] of changes) {
    await t.test(name, async () => {
      const cacheDir = freshCacheDir();
      const { path, file } = localWheel("changing");
      const cache = nodeWheelMetadataCache(cacheDir);
      const before = (await cache.keyOf(file))!;
      cache.set(before, record("old"));
      cache.flush();
      change(path);
      const after = await nodeWheelMetadataCache(cacheDir).keyOf(file);
      assert.ok(after !== undefined && after !== before);
      assert.equal(nodeWheelMetadataCache(cacheDir).get(after), undefined);
    });
  }
});

test("a damaged store is ignored as a whole and rewritten by the next flush", async (t) => {
  const damages: Array<[string, (text: string) => string]> = [
    ["truncated", (text) => text.slice(0, text.length - 20)],
    ["a record edited", (text) => text.replace('"idna"', '"evil"')],
    ["its digest edited", (text) => text.replace(/^(kiln-wheel-metadata 1 )./, "$1x")],
    ["no header", (text) => text.slice(text.indexOf("\n") + 1)],
    ["another format version", (text) => text.replace("kiln-wheel-metadata 1 ", "kiln-wheel-metadata 2 ")],
    ["empty", () => ""],
    ["not JSON under a valid digest", () => `kiln-wheel-metadata 1 ${sha256Hex("{")}\n{`],
    ["JSON of the wrong shape under a valid digest", () => `kiln-wheel-metadata 1 ${sha256Hex('{"a":1}')}\n{"a":1}`],
  ];
  for (const [name, damage] of damages) {
    await t.test(name, () => {
      const cacheDir = freshCacheDir();
      const cache = nodeWheelMetadataCache(cacheDir);
      cache.set("sha256:1", record("one"));
      cache.flush();
      writeFileSync(cache.path, damage(readFileSync(cache.path, "utf8")));
      const reader = nodeWheelMetadataCache(cacheDir);
      assert.equal(reader.get("sha256:1"), undefined);
      reader.set("sha256:2", record("two"));
      reader.flush();
      const repaired = nodeWheelMetadataCache(cacheDir);
      assert.deepEqual(repaired.get("sha256:2"), record("two"));
      assert.equal(repaired.get("sha256:1"), undefined);
    });
  }
});

test("a flush keeps what another process wrote since this one read the store", () => {
  const cacheDir = freshCacheDir();
  const one = nodeWheelMetadataCache(cacheDir);
  const two = nodeWheelMetadataCache(cacheDir);
  assert.equal(one.get("sha256:x"), undefined);
  assert.equal(two.get("sha256:x"), undefined);
  one.set("sha256:1", record("one"));
  two.set("sha256:2", record("two"));
  one.flush();
  two.flush();
  const reader = nodeWheelMetadataCache(cacheDir);
  assert.deepEqual(reader.get("sha256:1"), record("one"));
  assert.deepEqual(reader.get("sha256:2"), record("two"));
});

test("processes flushing at the same time leave a valid store, never a torn one", () => {
  const cacheDir = freshCacheDir();
  const module = new URL("./node-wheel-metadata-cache.ts", import.meta.url).href;
  const script = `
    const { nodeWheelMetadataCache } = await import(${JSON.stringify(module)});
    const id = process.argv.at(-1);
    for (let round = 0; round < 40; round++) {
      const cache = nodeWheelMetadataCache(${JSON.stringify(cacheDir)});
      cache.set("sha256:" + id + "-" + round, { name: id, version: "1.0", extras: [], requiresDist: [["x".repeat(2000), [], "", "", null]] });
      cache.flush();
    }`;
  const children = [0, 1, 2].map((id) => spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, String(id)], { encoding: "utf8" }));
  for (const child of children) assert.equal(child.status, 0, child.stderr);
  // The store is whole (its digest checks out, so the reader sees records), and every record in it
  // is exactly one a process wrote; records of a flush that raced another's may be missing.
  const reader = nodeWheelMetadataCache(cacheDir);
  let found = 0;
  for (const id of ["0", "1", "2"]) {
    for (let round = 0; round < 40; round++) {
      const stored = reader.get(`sha256:${id}-${round}`);
      if (stored === undefined) continue;
      found++;
      assert.deepEqual(stored, { name: id, version: "1.0", extras: [], requiresDist: [["x".repeat(2000), [], "", "", null]] });
    }
  }
  assert.ok(found > 0);
  assert.match(readFileSync(reader.path, "utf8"), /^kiln-wheel-metadata 1 [0-9a-f]{64}\n\[/);
});

test("the oldest records go when the store is full", () => {
  const cacheDir = freshCacheDir();
  const cache = nodeWheelMetadataCache(cacheDir, { maxEntries: 2 });
  for (const name of ["1", "2", "3"]) cache.set(`sha256:${name}`, record(name));
  cache.flush();
  const reader = nodeWheelMetadataCache(cacheDir);
  assert.equal(reader.get("sha256:1"), undefined);
  assert.deepEqual(reader.get("sha256:3"), record("3"));
});

function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
