import { strict as assert } from "node:assert";
import { test } from "node:test";
import { downloadWasmWheel, wheelExtensionModules } from "../../test/support/wasm-wheels.js";
import { section, signed, unsigned, vector, WasmWriter } from "../../test/support/wasm-writer.js";
import { scanCode, type CodeFeatures } from "./scan-code.js";
import { scanCodeWithWasm } from "./scan-code-wasm.js";
import { WasmFormatError } from "./wasm-format-error.js";
import { readWasmModule } from "./wasm-module.js";

/** What the JavaScript scan says: its features, or that it refused the section. */
function javascriptScan(bytes: Uint8Array, code: { offset: number; size: number }): CodeFeatures | "refused" {
  try {
    return scanCode(bytes, code, "test.wasm");
  } catch (error) {
    if (error instanceof WasmFormatError) return "refused";
    throw error;
  }
}

/**
 * The WebAssembly scan agrees with the JavaScript one: the same features whenever the JavaScript
 * scan reads the section cleanly, and it gives up (undefined) exactly when that scan refuses the
 * section or meets an instruction kiln does not know. Returns which path decided.
 */
function assertAgrees(bytes: Uint8Array, label: string): "wasm" | "javascript" | "none" {
  let module;
  try {
    module = readWasmModule(bytes);
  } catch (error) {
    if (error instanceof WasmFormatError) return "none";
    throw error;
  }
  const code = module.section("code");
  if (!code) return "none";
  const expected = javascriptScan(bytes, code);
  const fast = scanCodeWithWasm(bytes, code);
  if (expected === "refused" || expected.unknownInstructions.length > 0) {
    assert.equal(fast, undefined, `${label}: the JavaScript scan says ${JSON.stringify(expected)}`);
    return "javascript";
  }
  assert.deepEqual(fast, expected, label);
  return "wasm";
}

function moduleWith(...bodies: { code: number[]; locals?: [number, string][] }[]): Uint8Array {
  const w = new WasmWriter();
  const sig = w.type([], []);
  w.tag(w.type(["i32"], []));
  for (const body of bodies) w.function(sig, [...body.code, 0x0b], body.locals ?? [[2, "i32"]]);
  return w.bytes();
}

const memarg = [0x02, ...unsigned(16)];
const zeros16 = new Array(16).fill(0);
// Every immediate shape, each feature bit, and the edge cases of the LEB and memarg readers;
// then bodies the JavaScript scan reports or refuses, which the WebAssembly scan gives up on.
const bodies: [string, number[], "wasm" | "javascript"][] = [
  ["plain arithmetic", [0x41, ...signed(-1), 0x41, 0x02, 0x6a, 0x1a], "wasm"],
  ["locals and globals", [0x20, 0x00, 0x21, 0x01, 0x20, ...unsigned(1), 0x22, 0x00, 0x1a], "wasm"],
  ["loads and stores", [0x41, 0x00, 0x28, ...memarg, 0x1a, 0x41, 0x00, 0x42, ...signed(-9e15), 0x37, ...memarg], "wasm"],
  ["memarg with a memory index (bit 6)", [0x41, 0x00, 0x28, 0x42, 0x01, ...unsigned(300), 0x1a], "wasm"],
  ["memarg with a multi-byte alignment", [0x41, 0x00, 0x28, 0x82, 0x00, 0x10, 0x1a], "wasm"],
  ["blocks, loops, if/else, typed and indexed blocks", [0x02, 0x40, 0x03, 0x7f, 0x41, 0x00, 0x0b, 0x1a, 0x41, 0x00, 0x04, 0x00, 0x05, 0x0b, 0x0b], "wasm"],
  ["br_table", [0x02, 0x40, 0x41, 0x00, 0x0e, 0x02, 0x00, 0x00, 0x00, 0x0b], "wasm"],
  ["typed select", [0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0x1c, 0x01, 0x7f, 0x1a], "wasm"],
  ["f32 and f64 constants", [0x43, 1, 2, 3, 4, 0x1a, 0x44, 1, 2, 3, 4, 5, 6, 7, 8, 0x1a], "wasm"],
  ["call_indirect", [0x41, 0x00, 0x11, 0x00, 0x00], "wasm"],
  ["ref.null with a heap type", [0xd0, 0x70, 0x1a], "wasm"],
  ["legacy try/catch_all", [0x06, 0x40, 0x19, 0x0b], "wasm"],
  ["legacy try/catch/rethrow", [0x06, 0x40, 0x07, 0x00, 0x09, 0x00, 0x0b], "wasm"],
  ["legacy delegate", [0x06, 0x40, 0x18, 0x00], "wasm"],
  ["exnref try_table", [0x1f, 0x40, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x0b], "wasm"],
  ["throw", [0x41, 0x00, 0x08, 0x00], "wasm"],
  ["throw_ref", [0xd0, 0x69, 0x0a], "wasm"],
  ["atomics", [0x41, 0x00, 0xfe, 0x10, ...memarg, 0x1a, 0xfe, 0x03, 0x00], "wasm"],
  ["simd const and lane", [0xfd, 12, ...zeros16, 0xfd, 21, 0x03, 0x1a], "wasm"],
  ["simd load lane", [0x41, 0x00, 0xfd, 12, ...zeros16, 0xfd, 84, ...memarg, 0x01, 0x1a], "wasm"],
  ["simd with a multi-byte sub-opcode", [0xfd, 12, ...zeros16, 0xfd, ...unsigned(0x100), 0x1a], "wasm"],
  ["bulk memory", [0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 10, 0x00, 0x00], "wasm"],
  ["saturating truncation", [0x43, 0, 0, 0, 0, 0xfc, 0x00, 0x1a], "wasm"],
  ["tail call", [0x12, 0x00], "wasm"],
  ["an unknown one-byte instruction", [0xfb, 0x00, 0x00], "javascript"],
  ["an unknown simd sub-opcode", [0xfd, ...unsigned(0x200)], "javascript"],
  ["an unknown atomic sub-opcode", [0xfe, 0x05], "javascript"],
  ["an unknown misc sub-opcode", [0xfc, 40], "javascript"],
  ["a bad catch clause", [0x1f, 0x40, 0x01, 0x07, 0x00, 0x0b], "javascript"],
  ["a bad select type", [0x1c, 0x01, 0x55], "javascript"],
  ["a truncated simd constant", [0xfd, 12, 0, 0], "javascript"],
  ["a LEB that swallows the final end", [0x41, 0x80, 0x80], "wasm"],
  ["a memarg running past the body", [0x41, 0x00, 0x28, 0x42], "javascript"],
];

test("the WebAssembly scan agrees with the JavaScript scan on every immediate shape and feature", () => {
  for (const [name, code, path] of bodies) assert.equal(assertAgrees(moduleWith({ code }), name), path, name);
  // The well-formed bodies in one module: the bits of each are merged.
  const wellFormed = bodies.filter(([, , path]) => path === "wasm").map(([, code]) => ({ code }));
  assert.equal(assertAgrees(moduleWith(...wellFormed), "all at once"), "wasm");
  assert.equal(assertAgrees(moduleWith({ code: [0x01], locals: [] }, { code: [0x01], locals: [[1, "f64"], [3, "v128"], [2, "externref"]] }), "local declarations"), "wasm");
});

test("a section the JavaScript scan refuses is given up on, never read on past", () => {
  const good = moduleWith({ code: [0x41, 0x00, 0x1a] });
  const code = readWasmModule(good).section("code")!;
  const cases: [string, number[]][] = [
    ["more bodies than bytes", [...unsigned(50), 0x02, 0x00, 0x0b]],
    ["a body size past the section", [0x01, 0x09, 0x00, 0x0b]],
    ["bytes left after the last body", [0x01, 0x02, 0x00, 0x0b, 0x01]],
    ["a body size LEB that is too long", [0x01, 0x82, 0x80, 0x80, 0x80, 0x80, 0x00]],
    ["a 32-bit overflow in a body size", [0x01, 0x82, 0x80, 0x80, 0x80, 0x10]],
    ["locals running past the body", [0x01, 0x02, 0x05, 0x01]],
    ["an unknown local type", [0x01, 0x04, 0x01, 0x01, 0x55, 0x0b]],
  ];
  for (const [label, payload] of cases) {
    const bytes = Uint8Array.from([...good.subarray(0, code.start), ...section(10, payload)]);
    assert.equal(assertAgrees(bytes, label), "javascript", label);
  }
});

test("the WebAssembly scan agrees on real modules and on 20 000 mutations of a real one", () => {
  const modules = ["pydantic-core", "luau-wasm", "pycdfpp"].flatMap((project) => [...wheelExtensionModules(downloadWasmWheel({ project })).values()]);
  for (const [index, bytes] of modules.entries()) assert.equal(assertAgrees(bytes, `real module ${index}`), "wasm");
  // A real module cut to a few dozen bodies, so each mutation is cheap; mutations hit the code.
  const real = readWasmModule(modules[0]!);
  const picked = real.functionBodies().filter((b) => b.size < 1024).slice(0, 40);
  const payload = Uint8Array.from(vector(picked.map((b) => [...unsigned(b.size), ...modules[0]!.subarray(b.offset, b.offset + b.size)])));
  // The scans do not look at indices, so a small module's sections can carry the real bodies.
  const small = moduleWith({ code: [0x01] });
  const header = small.subarray(0, readWasmModule(small).section("code")!.start);
  let state = 0x6b696c6e;
  const next = (n: number) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
  const paths = { wasm: 0, javascript: 0, none: 0 };
  for (let round = 0; round < 20_000; round++) {
    const mutated = payload.slice();
    for (let edits = 1 + next(3); edits > 0; edits--) mutated[next(mutated.length)] = next(4) === 0 ? [0x80, 0xff, 0x0b, 0xfd, 0xfc, 0x1f][next(6)]! : next(256);
    const frame = [10, ...unsigned(mutated.length)];
    const bytes = new Uint8Array(header.length + frame.length + mutated.length);
    bytes.set(header);
    bytes.set(frame, header.length);
    bytes.set(mutated, header.length + frame.length);
    paths[assertAgrees(bytes, `mutation ${round}`)]++;
  }
  // Both outcomes must be common, or the comparison proves little.
  assert.ok(paths.wasm > 1_000 && paths.javascript > 1_000, JSON.stringify(paths));
});
