import { strict as assert } from "node:assert";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { NodeDirectoryCache } from "./node-directory-cache.js";

test("entries appear whole under their key; the first writer wins; only the newest entries are kept", async () => {
  const root = join(mkdtempSync(join(tmpdir(), "kiln-dircache-")), "entries");
  try {
    const cache = new NodeDirectoryCache(root, { maxEntries: 2 });
    assert.equal(await cache.find("a"), undefined);
    const stored = await cache.store("a", async (directory) => {
      writeFileSync(join(directory, "x.whl"), "first");
      assert.equal(await cache.find("a"), undefined, "not visible while it is written");
    });
    assert.equal(stored, join(root, "a"));
    assert.equal(await cache.find("a"), stored);
    await cache.store("a", async (directory) => writeFileSync(join(directory, "x.whl"), "second"));
    assert.equal(readFileSync(join(stored, "x.whl"), "utf8"), "first", "a finished entry is never replaced");
    await assert.rejects(cache.store("b", async () => Promise.reject(new Error("backend failed"))), /backend failed/);
    assert.equal(await cache.find("b"), undefined, "a failed write leaves nothing");
    assert.deepEqual(readdirSync(root), ["a"], "nor a temporary directory");

    const old = new Date(Date.now() - 60_000);
    utimesSync(stored, old, old);
    await cache.store("c", async (directory) => writeFileSync(join(directory, "f"), ""));
    // c is older than a's coming use by a clear margin, so file-time granularity cannot tie them.
    const earlier = new Date(Date.now() - 30_000);
    utimesSync(join(root, "c"), earlier, earlier);
    await cache.find("a");
    await cache.store("d", async (directory) => writeFileSync(join(directory, "f"), ""));
    assert.deepEqual(readdirSync(root).sort(), ["a", "d"], "the least recently used entry goes");
    await assert.rejects(cache.find("../x"), RangeError);
  } finally {
    rmSync(join(root, ".."), { recursive: true, force: true });
  }
  assert.equal(existsSync(root), false);
});
