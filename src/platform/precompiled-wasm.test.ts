import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { withPrecompiledWasm } from "./precompiled-wasm.js";

// The smallest valid modules: the header, and the header with an empty custom section (so that
// the two differ in size, as Pyodide's main module and its helper modules do).
const mainBytes = Uint8Array.of(0, 97, 115, 109, 1, 0, 0, 0);
const otherBytes = Uint8Array.of(0, 97, 115, 109, 1, 0, 0, 0, 0, 2, 1, 120);

test("the call with the main module's size gets the precompiled module; others compile as usual; the wrapper goes away", async () => {
  const original = WebAssembly.instantiate;
  const compiled = await WebAssembly.compile(mainBytes);
  const seen = await withPrecompiledWasm(
    async () => {
      const other = await WebAssembly.instantiate(otherBytes);
      const main = await WebAssembly.instantiate(mainBytes, {});
      return { other, main };
    },
    { compiled: Promise.resolve(compiled), byteLength: mainBytes.length },
  );
  assert.equal(seen.main.module, compiled, "the main module is the precompiled one");
  assert.ok(seen.main.instance instanceof WebAssembly.Instance);
  assert.notEqual(seen.other.module, compiled);
  assert.equal(WebAssembly.instantiate, original);
});

test("without a compiled module (the preparation failed) the bytes are compiled as usual", async () => {
  const result = await withPrecompiledWasm(() => WebAssembly.instantiate(mainBytes), {
    compiled: Promise.resolve(undefined),
    byteLength: mainBytes.length,
  });
  assert.ok(result.module instanceof WebAssembly.Module);
  assert.ok(result.instance instanceof WebAssembly.Instance);
});

test("the wrapper is removed when the run fails", async () => {
  const original = WebAssembly.instantiate;
  await assert.rejects(
    withPrecompiledWasm(() => Promise.reject(new Error("boom")), { compiled: Promise.resolve(undefined), byteLength: 1 }),
    /boom/,
  );
  assert.equal(WebAssembly.instantiate, original);
});

test("Pyodide's read of the main module's file gets zeros of its size once the module is compiled, the file without one; other reads and later reads are untouched", async () => {
  const directory = mkdtempSync(join(tmpdir(), "kiln-precompiled-"));
  try {
    const path = join(directory, "pyodide.asm.wasm");
    const other = join(directory, "other.bin");
    writeFileSync(path, mainBytes);
    writeFileSync(other, otherBytes);
    // As Pyodide reads: through the module namespace it imported, by a path string.
    const promises = await import("node:fs/promises");
    const compiled = await WebAssembly.compile(mainBytes);
    const skipped = await withPrecompiledWasm(
      async () => {
        const [main, unrelated] = await Promise.all([promises.readFile(path), promises.readFile(other)]);
        const again = await promises.readFile(path);
        return { main, unrelated, again, instantiated: await WebAssembly.instantiate(main, {}) };
      },
      { compiled: Promise.resolve(compiled), byteLength: mainBytes.length, path },
    );
    assert.deepEqual([...skipped.main], new Array(mainBytes.length).fill(0), "zeros of the file's size");
    assert.deepEqual([...skipped.unrelated], [...otherBytes]);
    assert.deepEqual([...skipped.again], [...mainBytes], "only the first read is skipped");
    assert.equal(skipped.instantiated.module, compiled);

    const read = await withPrecompiledWasm(() => promises.readFile(path), { compiled: Promise.resolve(undefined), byteLength: mainBytes.length, path });
    assert.deepEqual([...read], [...mainBytes], "without a compiled module, the file");
    assert.deepEqual([...(await promises.readFile(path))], [...mainBytes], "unwrapped after the run");
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
