import { strict as assert } from "node:assert";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { kilnCacheFolders } from "./kiln-cache-folders.js";
import { hasWasmCode, isFromWasmCodeCache, loadWasmCode, writeWasmCode } from "./node-wasm-code-cache.js";
import { startProfilesSupported } from "./node-wasm-compile.js";

// A module of one function, f(x) = 2x + 1, its only function named by the profile.
const wasm = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, // type: (i32) -> i32
  0x03, 0x02, 0x01, 0x00, // function 0 of type 0
  0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, // export "f"
  0x0a, 0x0c, 0x01, 0x0a, 0x00, 0x20, 0x00, 0x41, 0x02, 0x6c, 0x41, 0x01, 0x6a, 0x0b, // local.get 0, i32.const 2, i32.mul, i32.const 1, i32.add
]);
const profile = { buildIdentity: "test build", baseline: [0], optimized: [] };
const skip = !startProfilesSupported() && "V8's serializer is used on V8 11 (Node 20) only";

function setUp(): { cacheDir: string; wasmPath: string; env: Record<string, string> } {
  const root = mkdtempSync(join(tmpdir(), "kiln-wasm-code-"));
  const wasmPath = join(root, "module.wasm");
  writeFileSync(wasmPath, wasm);
  return { cacheDir: join(root, "cache"), wasmPath, env: { ...(process.env as Record<string, string>) } };
}

function call(module: WebAssembly.Module, x: number): number {
  return (new WebAssembly.Instance(module).exports.f as (x: number) => number)(x);
}

test("a module written to the cache loads from it and computes the same", { skip }, async () => {
  const { cacheDir, wasmPath, env } = setUp();
  assert.deepEqual(await loadWasmCode({ cacheDir, wasm, profile }), { outcome: "missing" });
  assert.equal(await writeWasmCode({ cacheDir, wasmPath, profile, env }), true);
  assert.equal(hasWasmCode(cacheDir, profile.buildIdentity), true);
  const { module, outcome } = await loadWasmCode({ cacheDir, wasm, profile });
  assert.equal(outcome, "used");
  assert.equal(isFromWasmCodeCache(module), true);
  assert.equal(call(module!, 20), 41);
  assert.equal(isFromWasmCodeCache(new WebAssembly.Module(wasm)), false);
});

test("code kept for another profile, or damaged, is refused and removed", { skip }, async () => {
  const { cacheDir, wasmPath, env } = setUp();
  assert.equal(await writeWasmCode({ cacheDir, wasmPath, profile, env }), true);
  const other = { ...profile, optimized: [0] };
  assert.deepEqual(await loadWasmCode({ cacheDir, wasm, profile: other }), { outcome: "refused" });
  assert.equal(hasWasmCode(cacheDir, profile.buildIdentity), false, "removed, to be written again");

  assert.equal(await writeWasmCode({ cacheDir, wasmPath, profile, env }), true);
  const directory = join(cacheDir, kilnCacheFolders.wasmCode);
  const [name] = readdirSync(directory);
  const bytes = readFileSync(join(directory, name!));
  bytes[bytes.length - 100]! ^= 0xff;
  writeFileSync(join(directory, name!), bytes);
  assert.deepEqual(await loadWasmCode({ cacheDir, wasm, profile }), { outcome: "refused" });
  assert.equal(hasWasmCode(cacheDir, profile.buildIdentity), false);
});

test("a write that fails is recorded, so later starts compile as before without retrying", { skip }, async () => {
  const { cacheDir, env } = setUp();
  assert.equal(await writeWasmCode({ cacheDir, wasmPath: join(cacheDir, "missing.wasm"), profile, env }), false);
  assert.equal(hasWasmCode(cacheDir, profile.buildIdentity), true);
  assert.deepEqual(await loadWasmCode({ cacheDir, wasm, profile }), { outcome: "unavailable" });
});
