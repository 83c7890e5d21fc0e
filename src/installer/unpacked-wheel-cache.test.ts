import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { makeWheel } from "../../test/installer/make-wheel.js";
import { limitConcurrency } from "./concurrency-limit.js";
import { installWheels } from "./install-wheels.js";
import { venvScheme } from "./install-scheme.js";
import { memoryFileSystem, type MemoryFileSystem } from "./memory-file-system.js";
import { unpackWheel } from "./unpack-wheel.js";
import { UnpackedWheelCache } from "./unpacked-wheel-cache.js";
import type { WheelToInstall } from "./stage-wheel.js";

const decoder = new TextDecoder();
const limit = limitConcurrency(4);
const cacheRoot = "/cache/unpacked-v1";
const scheme = venvScheme("/env", "3.14");
const sha256Of = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

function demoWheel(version = "1.0") {
  return makeWheel({
    name: "demo",
    version,
    files: { "demo/__init__.py": `VERSION = "${version}"\n`, "demo/sub/data.txt": "data\n", "demo-1.0.data/scripts/run": "#!python\nprint(1)\n" },
    entryPoints: "[console_scripts]\ndemo = demo:main\n",
  });
}

function wheelInput(wheel: { bytes: Uint8Array; filename: string }, extra: Partial<WheelToInstall> = {}): WheelToInstall {
  return { wheel: wheel.bytes, filename: wheel.filename, requested: true, ...extra };
}

/** Paths (inside the environment) and contents of the installed files, without kiln's state. */
function installed(fs: MemoryFileSystem): Record<string, string> {
  return Object.fromEntries([...fs.snapshot()].filter(([path]) => path.startsWith("/env/") && !path.includes(".kiln-install")).map(([path, data]) => [path, decoder.decode(data)]));
}

test("a wheel is unpacked into the cache once, then installed from it with the same result as without a cache", async () => {
  const wheel = demoWheel();
  const plain = memoryFileSystem();
  await installWheels([wheelInput(wheel)], { scheme, fs: plain });
  const fs = memoryFileSystem();
  const cache = new UnpackedWheelCache({ fs, root: cacheRoot });
  await installWheels([wheelInput(wheel)], { scheme, fs, wheelCache: cache });
  const sha256 = sha256Of(wheel.bytes);
  assert.equal(await cache.has(sha256), true);
  assert.deepEqual(installed(fs), installed(plain));
  // A second environment from the same entry: the wheel's bytes are never needed.
  const again = await installWheels([{ wheel: () => Promise.reject(new Error("must not fetch")), sha256, filename: wheel.filename, requested: true }], {
    scheme: venvScheme("/env2", "3.14"),
    fs,
    wheelCache: cache,
  });
  assert.equal(again.installed[0]!.version, "1.0");
  assert.equal(decoder.decode(await fs.readFile("/env2/lib/python3.14/site-packages/demo/sub/data.txt")), "data\n");
});

test("hard links share the cached file; copy mode and a failing link give independent files", async (t) => {
  const wheel = demoWheel();
  const sha256 = sha256Of(wheel.bytes);
  const cached = (fs: MemoryFileSystem) => `${new UnpackedWheelCache({ fs, root: cacheRoot }).entryDirectory(sha256)}/files/demo/__init__.py`;
  const installedFile = "/env/lib/python3.14/site-packages/demo/__init__.py";
  const cases = [
    { name: "hardlink", linkMode: "hardlink" as const, linkError: undefined, shared: true, warnings: 0 },
    { name: "copy", linkMode: "copy" as const, linkError: undefined, shared: false, warnings: 0 },
    { name: "hardlink across devices falls back to copies, with one warning", linkMode: "hardlink" as const, linkError: "EXDEV", shared: false, warnings: 1 },
    { name: "hardlink, batched", linkMode: "hardlink" as const, linkError: undefined, shared: true, warnings: 0, batch: true },
    { name: "hardlink across devices, batched, falls back to copies", linkMode: "hardlink" as const, linkError: "EXDEV", shared: false, warnings: 1, batch: true },
  ];
  for (const { name, linkMode, linkError, shared, warnings, batch } of cases) {
    await t.test(name, async () => {
      const fs = memoryFileSystem(linkError ? { linkError } : {});
      // The optional batch calls a platform may offer (Node's does), modelled on the single ones.
      if (batch) Object.assign(fs, { linkMany: batchedLinks(fs), statMany: (paths: string[]) => Promise.all(paths.map((path) => fs.stat(path))), findChangedFile: batchedCheck(fs) });
      const warned: string[] = [];
      const reporter = { info() {}, debug() {}, warn: (message: string) => warned.push(message), startTask: () => ({ advance() {}, finish() {} }) };
      await installWheels([wheelInput(wheel)], { scheme, fs, wheelCache: new UnpackedWheelCache({ fs, root: cacheRoot }), linkMode, reporter });
      // Writing through one path shows whether the other is the same file.
      await fs.writeFile(installedFile, new TextEncoder().encode("edited"));
      assert.equal(decoder.decode(await fs.readFile(cached(fs))) === "edited", shared);
      assert.equal(warned.length, warnings, warned.join("\n"));
    });
  }
});

/** The optional batch check a platform may offer (Node's does), modelled on single stats. */
function batchedCheck(fs: MemoryFileSystem) {
  return async (directory: string, files: readonly { path: string; size: number }[], notModifiedAfterMs?: number) => {
    for (const [index, file] of files.entries()) {
      const stat = await fs.stat(`${directory}/${file.path}`);
      if (stat?.kind !== "file" || stat.size !== file.size) return index;
      if (notModifiedAfterMs !== undefined && stat.modifiedMs !== undefined && stat.modifiedMs > notModifiedAfterMs) return index;
    }
    return -1;
  };
}

function batchedLinks(fs: MemoryFileSystem) {
  return async (pairs: readonly (readonly [string, string])[]) => {
    for (const [index, [from, to]] of pairs.entries()) {
      try {
        await fs.link(from, to);
      } catch (error) {
        return { linked: index, error };
      }
    }
    return { linked: pairs.length };
  };
}

test("a damaged or partial entry is detected, discarded and rebuilt", async (t) => {
  const wheel = demoWheel();
  const sha256 = sha256Of(wheel.bytes);
  const damages: { name: string; damage: (fs: MemoryFileSystem, entry: string) => Promise<void> }[] = [
    { name: "a file is missing", damage: (fs, entry) => fs.remove(`${entry}/files/demo/__init__.py`) },
    { name: "a file is truncated", damage: (fs, entry) => fs.writeFile(`${entry}/files/demo/sub/data.txt`, new Uint8Array()) },
    // Installed files are hard links to the cache's: an edit in one environment reaches the entry.
    { name: "a file is edited in place through an environment, its size unchanged", damage: (fs) => fs.writeFile("/first/lib/python3.14/site-packages/demo/sub/data.txt", new TextEncoder().encode("DATA\n")) },
    { name: "a file is replaced by another of the same size", damage: (fs, entry) => fs.writeFile(`${entry}/files/demo/sub/data.txt`, new TextEncoder().encode("evil\n")) },
    { name: "the manifest is missing (a partial entry)", damage: (fs, entry) => fs.remove(`${entry}/entry.json`) },
    { name: "the manifest is not JSON", damage: (fs, entry) => fs.writeFile(`${entry}/entry.json`, new TextEncoder().encode("{")) },
    {
      name: "the manifest names a path outside the entry",
      damage: async (fs, entry) => {
        const manifest = JSON.parse(decoder.decode(await fs.readFile(`${entry}/entry.json`)));
        manifest.files[0][0] = "../../../../etc/passwd";
        await fs.writeFile(`${entry}/entry.json`, new TextEncoder().encode(JSON.stringify(manifest)));
      },
    },
  ];
  for (const { name, damage } of damages) for (const batch of [false, true]) {
    await t.test(`${name}${batch ? " (checked in one batch call)" : ""}`, async () => {
      let clock = 1_000_000;
      const fs = memoryFileSystem({ now: () => (clock += 1000) });
      if (batch) Object.assign(fs, { findChangedFile: batchedCheck(fs) });
      const cache = new UnpackedWheelCache({ fs, root: cacheRoot });
      await installWheels([wheelInput(wheel)], { scheme: venvScheme("/first", "3.14"), fs, wheelCache: cache });
      await damage(fs, cache.entryDirectory(sha256));
      assert.equal(await cache.open(sha256, limit), undefined);
      assert.equal(await fs.exists(cache.entryDirectory(sha256)), false);
      await installWheels([wheelInput(wheel)], { scheme, fs, wheelCache: cache });
      assert.ok(await cache.open(sha256, limit));
      assert.equal(decoder.decode(await fs.readFile("/env/lib/python3.14/site-packages/demo/__init__.py")), 'VERSION = "1.0"\n');
    });
  }
});

test("an entry stored without a seal (by an earlier kiln) is checked by size and still used", async () => {
  const wheel = demoWheel();
  const sha256 = sha256Of(wheel.bytes);
  let clock = 1_000_000;
  const fs = memoryFileSystem({ now: () => (clock += 1000) });
  const cache = new UnpackedWheelCache({ fs, root: cacheRoot });
  await installWheels([wheelInput(wheel)], { scheme: venvScheme("/first", "3.14"), fs, wheelCache: cache });
  const manifestPath = `${cache.entryDirectory(sha256)}/entry.json`;
  const manifest = JSON.parse(decoder.decode(await fs.readFile(manifestPath)));
  assert.equal(typeof manifest.sealedMs, "number");
  delete manifest.sealedMs;
  await fs.writeFile(manifestPath, new TextEncoder().encode(JSON.stringify(manifest)));
  await fs.writeFile("/first/lib/python3.14/site-packages/demo/sub/data.txt", new TextEncoder().encode("DATA\n"));
  const entry = await cache.open(sha256, limit);
  assert.ok(entry);
  assert.equal(entry.sealedMs, undefined);
});

test("two stores of one wheel at once both succeed and leave one complete entry", async () => {
  const wheel = demoWheel();
  const sha256 = sha256Of(wheel.bytes);
  const fs = memoryFileSystem();
  const caches = [new UnpackedWheelCache({ fs, root: cacheRoot }), new UnpackedWheelCache({ fs, root: cacheRoot })];
  const entries = await Promise.all(caches.map(async (cache) => cache.store(sha256, await unpackWheel(wheel.bytes, wheel.filename, { limit }), limit)));
  assert.equal(entries[0]!.directory, entries[1]!.directory);
  assert.ok(await caches[0]!.open(sha256, limit));
  assert.deepEqual(await fs.list(`${cacheRoot}/tmp`), []);
});

test("bytes that do not match the sha256 they were given are refused, and nothing is cached", async () => {
  const wheel = demoWheel();
  const fs = memoryFileSystem();
  const cache = new UnpackedWheelCache({ fs, root: cacheRoot });
  const wrong = sha256Of(demoWheel("2.0").bytes);
  await assert.rejects(installWheels([wheelInput(wheel, { sha256: wrong })], { scheme, fs, wheelCache: cache }), { code: "hashMismatch" });
  assert.equal(await cache.has(wrong), false);
  assert.equal(await fs.exists("/env/lib"), false);
});

test("a wheel whose RECORD does not match is refused before anything is cached", async () => {
  const wheel = makeWheel({ name: "demo", version: "1.0", files: { "demo/__init__.py": "x = 1\n" }, editRecord: (record) => record.replace(/sha256=[^,]+/, "sha256=AAAA") });
  const fs = memoryFileSystem();
  const cache = new UnpackedWheelCache({ fs, root: cacheRoot });
  await assert.rejects(installWheels([wheelInput(wheel)], { scheme, fs, wheelCache: cache }), { code: "hashMismatch" });
  assert.equal(await cache.has(sha256Of(wheel.bytes)), false);
  assert.equal(await fs.exists(`${cacheRoot}/sha256`), false);
});

test("prune removes entries unused for the maximum age, damaged entries and stale temporary directories; opening marks an entry used", async () => {
  const day = 86_400_000;
  let clock = Date.UTC(2026, 0, 1);
  const fs = memoryFileSystem({ now: () => clock });
  const cache = new UnpackedWheelCache({ fs, root: cacheRoot, now: () => clock });
  const [old, used, damaged] = ["1.0", "2.0", "3.0"].map((version) => demoWheel(version));
  for (const [index, wheel] of [old!, used!, damaged!].entries()) {
    await installWheels([wheelInput(wheel)], { scheme: venvScheme(`/env${index}`, "3.14"), fs, wheelCache: cache });
  }
  const entry = (wheel: { bytes: Uint8Array }) => cache.entryDirectory(sha256Of(wheel.bytes));
  await fs.remove(`${entry(damaged!)}/files/demo/sub/data.txt`);
  await fs.mkdir(`${cacheRoot}/tmp/${(clock - 2 * 3_600_000).toString(36)}-dead`);
  clock += 20 * day;
  assert.ok(await cache.open(sha256Of(used!.bytes), limit), "an intact entry opens");
  clock += 20 * day - 1_000;
  const live = `${(clock - 60_000).toString(36)}-live`;
  await fs.mkdir(`${cacheRoot}/tmp/${live}`);

  const result = await cache.prune({ maxAgeMs: 30 * day, limit });

  assert.equal(await cache.has(sha256Of(old!.bytes)), false, "unused for 40 days");
  assert.equal(await cache.has(sha256Of(used!.bytes)), true, "used 20 days ago");
  assert.equal(await fs.exists(entry(damaged!)), false, "a file is missing");
  assert.deepEqual(await fs.list(`${cacheRoot}/tmp`), [live], "a temporary directory of a live process is kept");
  assert.equal(result.removedEntries, 3);
  assert.equal(result.keptEntries, 1);
  const usedFiles = JSON.parse(decoder.decode(await fs.readFile(`${entry(used!)}/entry.json`))).files as [string, number][];
  assert.equal(result.keptFiles, usedFiles.length + 1);
  assert.equal(result.keptBytes, usedFiles.reduce((sum, [, size]) => sum + size, 0) + (await fs.stat(`${entry(used!)}/entry.json`))!.size);
  // What was installed from the removed entries is still there.
  assert.equal(decoder.decode(await fs.readFile("/env0/lib/python3.14/site-packages/demo/sub/data.txt")), "data\n");
  assert.deepEqual(await cache.prune({ maxAgeMs: 30 * day, limit }), { removedEntries: 0, removedFiles: 0, removedBytes: 0, keptEntries: 1, keptFiles: result.keptFiles, keptBytes: result.keptBytes });
});

test("prune of a cache directory that does not exist removes nothing and creates nothing", async () => {
  const fs = memoryFileSystem();
  const result = await new UnpackedWheelCache({ fs, root: cacheRoot }).prune({ maxAgeMs: 0, limit });
  assert.deepEqual(result, { removedEntries: 0, removedFiles: 0, removedBytes: 0, keptEntries: 0, keptFiles: 0, keptBytes: 0 });
  assert.equal(await fs.exists(cacheRoot), false);
});
