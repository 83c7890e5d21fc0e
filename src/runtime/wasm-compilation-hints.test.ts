import { strict as assert } from "node:assert";
import { test } from "node:test";
import { compilationHintsInsertion, hintByte, hintStrategy, hintTier, withCompilationHints } from "./wasm-compilation-hints.js";

// A module importing one function (index 0) and a memory, defining two functions (indices 1 and 2),
// exporting both: the shape of Pyodide's main module in miniature.
const module = Uint8Array.of(
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...[0x01, 0x04, 0x01, 0x60, 0x00, 0x00], // type 0: () -> ()
  ...[0x02, 0x11, 0x02, 0x01, 0x65, 0x01, 0x66, 0x00, 0x00, 0x01, 0x65, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x01, 0x01, 0x02], // e.f (func), e.mem (memory 1..2)
  ...[0x03, 0x03, 0x02, 0x00, 0x00], // two functions of type 0
  ...[0x07, 0x09, 0x02, 0x01, 0x61, 0x00, 0x01, 0x01, 0x62, 0x00, 0x02], // export a = 1, b = 2
  ...[0x0a, 0x09, 0x02, 0x02, 0x00, 0x0b, 0x04, 0x00, 0x10, 0x00, 0x0b], // a: nop; b: call 0
);

test("the hints section goes before the code section, one byte per defined function, and the module is the same", () => {
  assert.ok(WebAssembly.validate(module));
  const asked: number[] = [];
  const hinted = withCompilationHints(module, (index) => (asked.push(index), index === 2 ? 6 : 1))!;
  assert.deepEqual(asked, [1, 2], "hints are asked for the defined functions, in the module's index space");
  assert.ok(WebAssembly.validate(hinted));
  const compiled = new WebAssembly.Module(hinted);
  assert.deepEqual(WebAssembly.Module.exports(compiled), WebAssembly.Module.exports(new WebAssembly.Module(module)));
  assert.deepEqual([...new Uint8Array(WebAssembly.Module.customSections(compiled, "compilationHints")[0]!)], [2, 1, 6]);
  const codeAt = hinted.indexOf(0x0a, hinted.length - 11);
  assert.equal(codeAt, hinted.length - 11, "the code section is still last");
  const calls: string[] = [];
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 2 });
  const instance = new WebAssembly.Instance(compiled, { e: { f: () => calls.push("f"), mem: memory } });
  (instance.exports.b as () => void)();
  assert.deepEqual(calls, ["f"]);
});

test("the insertion read from the module's first bytes, up to the code section's header, makes the same module", () => {
  const codeAt = module.length - 11;
  const hint = (index: number) => (index === 2 ? 6 : 1);
  for (const length of [codeAt + 2, codeAt + 5, module.length]) {
    const { at, section } = compilationHintsInsertion(module.subarray(0, length), hint)!;
    assert.equal(at, codeAt);
    assert.deepEqual(Uint8Array.from([...module.subarray(0, at), ...section, ...module.subarray(at)]), withCompilationHints(module, hint));
  }
  // Not reaching the code section's size: where the code starts is not known yet.
  for (const length of [codeAt, codeAt + 1, 20]) assert.equal(compilationHintsInsertion(module.subarray(0, length), hint), undefined, `first ${length} bytes`);
});

const unreadable: Array<[string, Uint8Array]> = [
  ["not wasm", new TextEncoder().encode("PK\u0003\u0004 a zip file")],
  ["truncated", module.subarray(0, module.length - 3)],
  ["without functions", Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00)],
];

for (const [name, bytes] of unreadable) {
  test(`a module that is ${name} gets no hints`, () => {
    assert.equal(withCompilationHints(bytes, () => 1), undefined);
  });
}

test("a hint byte packs strategy, baseline tier and top tier as V8 reads them", () => {
  assert.equal(hintByte({ strategy: hintStrategy.lazy }), 0x01);
  assert.equal(hintByte({ strategy: hintStrategy.eager, baselineTier: hintTier.baseline }), 0x06);
  assert.equal(hintByte({ strategy: hintStrategy.eager, baselineTier: hintTier.baseline, topTier: hintTier.optimized }), 0x26);
});
