import { strict as assert } from "node:assert";
import { test } from "node:test";
import { signed, unsigned, WasmWriter } from "../../test/support/wasm-writer.js";
import { readWasmModule } from "./wasm-module.js";

function moduleWith(code: number[], options: { tag?: boolean } = {}) {
  const w = new WasmWriter();
  const sig = w.type([], []);
  if (options.tag) w.tag(w.type(["i32"], []));
  w.function(sig, [...code, 0x0b], [[2, "i32"]]);
  return readWasmModule(w.bytes());
}

const memarg = [0x02, ...unsigned(16)];
const cases: { name: string; code: number[]; expect: string[] }[] = [
  { name: "plain arithmetic", code: [0x41, ...signed(-1), 0x41, 0x02, 0x6a, 0x1a], expect: [] },
  { name: "loads and stores", code: [0x41, 0x00, 0x28, ...memarg, 0x1a, 0x41, 0x00, 0x42, ...signed(-9e15), 0x37, ...memarg], expect: [] },
  { name: "blocks, branches, br_table", code: [0x02, 0x40, 0x41, 0x00, 0x0e, 0x02, 0x00, 0x00, 0x00, 0x0b], expect: [] },
  { name: "legacy try/catch_all", code: [0x06, 0x40, 0x19, 0x0b], expect: ["legacyExceptions"] },
  { name: "legacy try/catch/rethrow", code: [0x06, 0x40, 0x07, 0x00, 0x09, 0x00, 0x0b], expect: ["legacyExceptions"] },
  { name: "legacy delegate", code: [0x06, 0x40, 0x18, 0x00], expect: ["legacyExceptions"] },
  { name: "exnref try_table", code: [0x1f, 0x40, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x0b], expect: ["exnrefExceptions"] },
  { name: "throw", code: [0x41, 0x00, 0x08, 0x00], expect: ["throws"] },
  { name: "atomics", code: [0x41, 0x00, 0xfe, 0x10, ...memarg, 0x1a, 0xfe, 0x03, 0x00], expect: ["atomics"] },
  { name: "simd const and lane", code: [0xfd, 12, ...new Array(16).fill(0), 0xfd, 21, 0x03, 0x1a], expect: ["simd"] },
  { name: "simd load lane", code: [0x41, 0x00, 0xfd, 12, ...new Array(16).fill(0), 0xfd, 84, ...memarg, 0x01, 0x1a], expect: ["simd"] },
  { name: "bulk memory", code: [0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 10, 0x00, 0x00], expect: ["bulkMemory"] },
  { name: "saturating truncation is not bulk memory", code: [0x43, 0, 0, 0, 0, 0xfc, 0x00, 0x1a], expect: [] },
  { name: "tail call", code: [0x12, 0x00], expect: ["tailCalls"] },
];

test("the opcode scan finds each instruction family and nothing else", () => {
  const families = ["legacyExceptions", "exnrefExceptions", "throws", "atomics", "simd", "bulkMemory", "tailCalls"] as const;
  for (const { name, code, expect } of cases) {
    const features = moduleWith(code, { tag: true }).codeFeatures();
    assert.deepEqual(families.filter((f) => features[f]), expect, name);
    assert.deepEqual(features.unknownInstructions, [], name);
    assert.equal(features.functions, 1, name);
  }
});

test("an unknown instruction is reported and the scan goes on with the next body", () => {
  const w = new WasmWriter();
  const sig = w.type([], []);
  w.function(sig, [0xfb, 0x00, 0x00, 0x0b]);
  w.function(sig, [0xfd, 12, ...new Array(16).fill(0), 0x1a, 0x0b]);
  const features = readWasmModule(w.bytes()).codeFeatures();
  assert.equal(features.simd, true);
  assert.equal(features.unknownInstructions.length, 1);
  assert.equal(features.unknownInstructions[0]!.opcode, "0xfb");
});

test("a truncated immediate is a format error, not a crash", () => {
  assert.throws(() => moduleWith([0xfd, 12, 0, 0]).codeFeatures(), /needed but only/);
});
