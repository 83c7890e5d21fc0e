import { strict as assert } from "node:assert";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { crc32 } from "node:zlib";
import { decodeSnapshotFile, encodeSnapshotFile } from "../runtime/index.js";
import { SideModuleCache } from "./node-side-module-cache.js";
import { startProfilesSupported } from "./node-wasm-compile.js";

// A module like a side module's smallest: the linker's `__wasm_call_ctors` (empty), and
// f(x) = 2x + 1.
const wasm = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x09, 0x02, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7f, 0x01, 0x7f, // types: () -> (), (i32) -> i32
  0x03, 0x03, 0x02, 0x00, 0x01, // functions 0 and 1
  0x07, 0x19, 0x02, 0x11, ...new TextEncoder().encode("__wasm_call_ctors"), 0x00, 0x00, 0x01, 0x66, 0x00, 0x01, // exports
  0x0a, 0x0f, 0x02, 0x02, 0x00, 0x0b, 0x0a, 0x00, 0x20, 0x00, 0x41, 0x02, 0x6c, 0x41, 0x01, 0x6a, 0x0b, // bodies
]);
const skip = !startProfilesSupported() && "V8's serializer is used on V8 11 (Node 20) only";
const libName = "/site-packages/example/_example.so";

function cacheIn(cacheDir = join(mkdtempSync(join(tmpdir(), "kiln-side-")), "cache")): SideModuleCache {
  return new SideModuleCache({ cacheDir, env: {}, minimumBytes: 0 });
}

/** What the glue does with the cache: compile (or take the cached module), instantiate, tell. */
function load(cache: SideModuleCache, bytes: Uint8Array<ArrayBuffer> = wasm): { fromCache: boolean; f: (x: number) => number } {
  const cached = cache.compile(bytes, libName);
  const module = cached ?? new WebAssembly.Module(bytes);
  const instance = new WebAssembly.Instance(module);
  cache.instantiated(module, instance, libName);
  return { fromCache: cached !== undefined, f: instance.exports.f as (x: number) => number };
}

/** A cache holding the module's optimized code, and the entry's path. */
function written(): { cache: SideModuleCache; path: string } {
  const cache = cacheIn();
  assert.equal(load(cache).fromCache, false);
  const [path] = cache.keepOptimizedCode();
  assert.ok(path && existsSync(path), "written at exit");
  return { cache: new SideModuleCache({ cacheDir: join(cache.directory, ".."), env: {}, minimumBytes: 0 }), path };
}

test("a module compiled without cached code has its optimized code kept; the next process builds it from that, and it computes the same", { skip }, () => {
  const { cache } = written();
  const again = load(cache);
  assert.equal(again.fromCache, true);
  assert.equal(again.f(20), 41);
  assert.deepEqual(cache.keepOptimizedCode(), [], "a module from the cache is not written again");
});

test("a process built from cached code keeps its code again once it has optimized more (the entry gathers hot code)", { skip }, () => {
  const { cache, path } = written();
  const before = readFileSync(path).length;
  const { f } = load(cache);
  tierUp(f);
  assert.deepEqual(cache.keepOptimizedCode(), [path]);
  assert.ok(readFileSync(path).length > before);
});

test("code of other bytes is never used: the key is the bytes' sha256", { skip }, () => {
  const { cache } = written();
  const other = wasm.slice();
  other[other.length - 6] = 0x03; // f(x) = 3x + 1
  const loaded = load(cache, other);
  assert.equal(loaded.fromCache, false);
  assert.equal(loaded.f(20), 61);
});

const damaged: Array<[string, (file: Uint8Array, key: string) => Uint8Array, boolean]> = [
  ["truncated", (file) => file.subarray(0, file.length - 10), true],
  ["a flipped byte in V8's code", (file) => flipped(file, file.length - 20), true],
  ["another key (a foreign file renamed into place)", (file) => encodeSnapshotFile(payloadOf(file), { key: "side-module|other", checksum: crc32 }), true],
  // kiln's checks pass, V8's own header does not: an empty entry stops further attempts.
  ["V8's header changed", (file, key) => encodeSnapshotFile(flipped(payloadOf(file), 5), { key, checksum: crc32 }), false],
];

for (const [name, damage, rewritten] of damaged) {
  test(`a damaged or foreign entry is refused, the module compiles as before: ${name}`, { skip }, () => {
    const { cache, path } = written();
    const file = new Uint8Array(readFileSync(path));
    writeFileSync(path, damage(file, keyOf(file)));
    const loaded = load(cache);
    assert.equal(loaded.fromCache, false);
    assert.equal(loaded.f(4), 9);
    if (rewritten) {
      assert.ok(!existsSync(path), "removed");
      assert.deepEqual(cache.keepOptimizedCode(), [path], "written again at exit");
    } else {
      assert.equal(decodeSnapshotFile(readFileSync(path), { key: keyOf(file), checksum: crc32 }).ok && "empty", "empty");
      assert.deepEqual(cache.keepOptimizedCode(), [], "not written again");
    }
  });
}

test("small modules and KILN_WASM_CODE_CACHE=off keep nothing", { skip }, () => {
  const cacheDir = join(mkdtempSync(join(tmpdir(), "kiln-side-")), "cache");
  const small = new SideModuleCache({ cacheDir, env: {}, minimumBytes: wasm.length + 1 });
  load(small);
  assert.deepEqual(small.keepOptimizedCode(), []);
  const off = new SideModuleCache({ cacheDir, env: { KILN_WASM_CODE_CACHE: "off" }, minimumBytes: 0 });
  load(off);
  assert.deepEqual(off.keepOptimizedCode(), []);
  assert.ok(!existsSync(join(cacheDir, "side-module-code")));
});

/** V8 optimizes `fn` now (what a hot loop would make it do in the background). */
function tierUp(fn: unknown): void {
  setFlagsFromString("--allow-natives-syntax");
  const optimize = new Function("fn", "%WasmTierUpFunction(fn);");
  setFlagsFromString("--no-allow-natives-syntax");
  optimize(fn);
}

function keyOf(file: Uint8Array): string {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  return new TextDecoder().decode(file.subarray(28, 28 + view.getUint32(12, true)));
}

function payloadOf(file: Uint8Array): Uint8Array {
  const decoded = decodeSnapshotFile(file, { key: keyOf(file), checksum: crc32 });
  assert.ok(decoded.ok);
  return decoded.payload;
}

function flipped(bytes: Uint8Array, at: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[at]! ^= 0x01;
  return copy;
}
