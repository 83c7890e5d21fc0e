import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { withCompilationHints } from "../runtime/index.js";
import { readHintedWasm } from "./node-hinted-wasm.js";

// A module importing one function and a memory and defining two functions, its code section last
// (as in Pyodide's main module), with a custom section first so that the code starts further in.
const module = Uint8Array.of(
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...[0x00, 0x0b, 0x04, 0x70, 0x61, 0x64, 0x73, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06], // custom "pads"
  ...[0x01, 0x04, 0x01, 0x60, 0x00, 0x00],
  ...[0x02, 0x11, 0x02, 0x01, 0x65, 0x01, 0x66, 0x00, 0x00, 0x01, 0x65, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x01, 0x01, 0x02],
  ...[0x03, 0x03, 0x02, 0x00, 0x00],
  ...[0x07, 0x09, 0x02, 0x01, 0x61, 0x00, 0x01, 0x01, 0x62, 0x00, 0x02],
  ...[0x0a, 0x09, 0x02, 0x02, 0x00, 0x0b, 0x04, 0x00, 0x10, 0x00, 0x0b],
);
const hint = (index: number) => (index === 2 ? 0x26 : 0x01);

function withFile(bytes: Uint8Array, run: (path: string) => void): void {
  const directory = mkdtempSync(join(tmpdir(), "kiln-hinted-wasm-"));
  try {
    const path = join(directory, "module.wasm");
    writeFileSync(path, bytes);
    run(path);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

// The first read ending: inside the sections before the code (the whole file is then read and
// copied), within the code section's header, just past it, inside the code, and past the file's end.
for (const firstReadBytes of [20, module.length - 10, module.length - 9, module.length - 4, 1 << 20]) {
  test(`the module read once with its hints is the module withCompilationHints makes (first read of ${firstReadBytes} bytes)`, () => {
    withFile(module, (path) => {
      const hinted = readHintedWasm(path, hint, { firstReadBytes })!;
      assert.deepEqual(hinted, withCompilationHints(module, hint));
      assert.ok(WebAssembly.validate(hinted));
      assert.deepEqual([...new Uint8Array(WebAssembly.Module.customSections(new WebAssembly.Module(hinted), "compilationHints")[0]!)], [2, 0x01, 0x26]);
    });
  });
}

const unreadable: Array<[string, Uint8Array]> = [
  ["not wasm", new TextEncoder().encode("PK\u0003\u0004 a zip file")],
  ["truncated inside its code", module.subarray(0, module.length - 3)],
  ["truncated before its code", module.subarray(0, 30)],
];
for (const [name, bytes] of unreadable) {
  test(`a file that is ${name} gets no hinted module`, () => {
    withFile(bytes, (path) => {
      for (const firstReadBytes of [16, 1 << 20]) assert.equal(readHintedWasm(path, hint, { firstReadBytes }), undefined);
    });
  });
}

test("a file that is not there is an error, as reading it is", () => {
  assert.throws(() => readHintedWasm(join(tmpdir(), "kiln-no-such-module.wasm"), hint), { code: "ENOENT" });
});
