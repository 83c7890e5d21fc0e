import { strict as assert } from "node:assert";
import { test } from "node:test";
import { customSection, section, signed, text, unsigned, vector, WasmWriter } from "../../test/support/wasm-writer.js";
import { symbolFlags } from "./decode-dylink.js";
import { extractEmbeddedJavaScript } from "./embedded-javascript.js";
import { WasmFormatError } from "./wasm-format-error.js";
import { isWasm, readWasmModule } from "./wasm-module.js";

const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

function sideModule(): WasmWriter {
  const w = new WasmWriter();
  const noArgs = w.type([], ["i32"]);
  const pair = w.type(["i32", "i64"], []);
  w.dylink({ memorySize: 64, memoryAlignment: 4, tableSize: 2, needed: ["libfoo.so"], runtimePaths: ["$ORIGIN/../lib"], importInfo: [["env", "maybe", symbolFlags.weak]] });
  w.importMemory("env", "memory", { min: 1 });
  w.importTable("env", "__indirect_function_table", { min: 0 });
  w.importGlobal("env", "__memory_base");
  w.importGlobal("GOT.mem", "PyExc_TypeError", "i32", true);
  w.importFunction("env", "PyModule_Create2", noArgs);
  w.importFunction("env", "take_i64", pair);
  w.importTag("env", "__cpp_exception", w.type(["i32"], []));
  const init = w.function(noArgs, [0x41, ...signed(-5), 0x0b]);
  w.exportFunction("PyInit_spam", init);
  return w;
}

test("a side module's sections, imports, exports and dylink.0 decode as written", () => {
  const module = readWasmModule(sideModule().bytes(), { source: "spam.so" });
  assert.deepEqual(module.sections.map((s) => s.name), ["dylink.0", "type", "import", "function", "export", "code"]);
  assert.deepEqual(module.imports().map((i) => `${i.module}.${i.name}:${i.kind}`), [
    "env.memory:memory", "env.__indirect_function_table:table", "env.__memory_base:global", "GOT.mem.PyExc_TypeError:global",
    "env.PyModule_Create2:function", "env.take_i64:function", "env.__cpp_exception:tag",
  ]);
  assert.deepEqual(module.exports(), [{ name: "PyInit_spam", kind: "function", index: 2 }]);
  assert.deepEqual(module.functionType(1), { params: ["i32", "i64"], results: [] });
  assert.deepEqual(module.functionType(2), { params: [], results: ["i32"] });
  assert.equal(module.functionType(3), undefined);
  assert.deepEqual(module.importCounts(), { function: 2, table: 1, memory: 1, global: 2, tag: 1 });
  const dylink = module.dylink()!;
  assert.equal(dylink.format, "dylink.0");
  assert.deepEqual([dylink.memorySize, dylink.memoryAlignment, dylink.tableSize], [64, 4, 2]);
  assert.deepEqual(dylink.needed, ["libfoo.so"]);
  assert.deepEqual(dylink.runtimePaths, ["$ORIGIN/../lib"]);
  assert.deepEqual(dylink.importInfo, [{ module: "env", name: "maybe", flags: 1 }]);
});

test("memories record the shared and 64-bit flags and limits", () => {
  const cases = [
    { limits: { min: 1 }, expected: { min: 1, shared: false, index64: false } },
    { limits: { min: 2, max: 100, shared: true }, expected: { min: 2, max: 100, shared: true, index64: false } },
    { limits: { min: 3, index64: true }, expected: { min: 3, shared: false, index64: true } },
  ];
  for (const { limits, expected } of cases) {
    const w = new WasmWriter();
    w.importMemory("env", "memory", limits);
    const imported = readWasmModule(w.bytes()).imports()[0]!;
    assert.equal(imported.kind, "memory");
    assert.deepEqual(imported.kind === "memory" && imported.limits, expected);
    const defined = new WasmWriter();
    defined.memory(limits);
    assert.deepEqual(readWasmModule(defined.bytes()).memories(), [expected]);
  }
});

test("the legacy dylink section is read when dylink.0 is absent", () => {
  const payload = [...unsigned(1024), ...unsigned(2), ...unsigned(3), ...unsigned(0), ...vector([text("libz.so")])];
  const bytes = Uint8Array.from([...header, ...customSection("dylink", payload)]);
  const info = readWasmModule(bytes).dylink()!;
  assert.deepEqual([info.format, info.memorySize, info.tableSize, info.needed], ["dylink", 1024, 3, ["libz.so"]]);
});

test("unknown dylink.0 subsections are skipped", () => {
  const needed = vector([text("liba.so")]);
  const payload = [9, 3, 1, 2, 3, 2, ...unsigned(needed.length), ...needed];
  const bytes = Uint8Array.from([...header, ...customSection("dylink.0", payload)]);
  assert.deepEqual(readWasmModule(bytes).dylink()!.needed, ["liba.so"]);
});

test("producers and target_features custom sections decode", () => {
  const w = new WasmWriter();
  w.custom("producers", vector([[...text("processed-by"), ...vector([[...text("clang"), ...text("20.1.0")]])]]));
  w.custom("target_features", vector([[0x2b, ...text("simd128")], [0x2d, ...text("atomics")]]));
  const module = readWasmModule(w.bytes());
  assert.deepEqual(module.producers(), { "processed-by": [{ name: "clang", version: "20.1.0" }] });
  assert.deepEqual(module.targetFeatures(), [{ prefix: "+", name: "simd128" }, { prefix: "-", name: "atomics" }]);
  assert.equal(module.customSections().length, 2);
});

test("EM_JS and EM_ASM text is found through exported globals and data segments", () => {
  const w = new WasmWriter();
  w.importGlobal("env", "__memory_base");
  const emJs = "(int x)<::>{ return fetch('https://example.com/' + x); }";
  const asm = ["console.log($0)", "eval(UTF8ToString($0))"];
  const blob = new TextEncoder().encode(`${emJs}\0${asm.join("\0")}\0`);
  w.activeData([0x23, 0x00], blob);
  w.exportGlobal("__em_js__do_fetch", w.global("i32", false, [0x41, 0x00]));
  const asmStart = emJs.length + 1;
  w.exportGlobal("__start_em_asm", w.global("i32", false, [0x41, ...signed(asmStart)]));
  w.exportGlobal("__stop_em_asm", w.global("i32", false, [0x41, ...signed(blob.length)]));
  const found = extractEmbeddedJavaScript(readWasmModule(w.bytes()));
  assert.deepEqual(found, [
    { kind: "EM_JS", name: "do_fetch", signature: "(int x)", body: "{ return fetch('https://example.com/' + x); }" },
    { kind: "EM_ASM", address: asmStart, body: asm[0] },
    { kind: "EM_ASM", address: asmStart + asm[0]!.length + 1, body: asm[1] },
  ]);
});

test("EM_JS and EM_ASM text in passive segments (shared-memory builds) is found where memory.init puts it", () => {
  const emJs = "(void)<::>{ navigator.sendBeacon('https://example.com'); }";
  const asm = "postMessage($0)";
  // wasm-ld's __wasm_init_memory: i32.const DEST, global.get __memory_base, i32.add (either order,
  // or no base at all), i32.const SRC, i32.const SIZE, memory.init SEG 0, data.drop SEG.
  const destinations: [string, (dest: number) => number[]][] = [
    ["const + base", (dest) => [0x41, ...signed(dest), 0x23, 0x00, 0x6a]],
    ["base + const", (dest) => [0x23, 0x00, 0x41, ...signed(dest), 0x6a]],
  ];
  for (const [order, destination] of destinations) {
    const w = new WasmWriter();
    w.importGlobal("env", "__memory_base");
    const sig = w.type([], []);
    w.passiveData(new TextEncoder().encode("padding that is not copied\0"));
    const first = w.passiveData(new TextEncoder().encode(`xx${emJs}\0`));
    const second = w.passiveData(new TextEncoder().encode(`${asm}\0`));
    const init = (segment: number, dest: number, source: number, size: number) => [
      ...destination(dest), 0x41, ...signed(source), 0x41, ...signed(size), 0xfc, 0x08, segment, 0x00, 0xfc, 0x09, segment,
    ];
    w.function(sig, [...init(first, 1024, 2, emJs.length + 1), ...init(second, 4096, 0, asm.length + 1), 0x0b]);
    w.exportGlobal("__em_js__beacon", w.global("i32", false, [0x41, ...signed(1024)]));
    w.exportGlobal("__start_em_asm", w.global("i32", false, [0x41, ...signed(4096)]));
    w.exportGlobal("__stop_em_asm", w.global("i32", false, [0x41, ...signed(4096 + asm.length + 1)]));
    assert.deepEqual(extractEmbeddedJavaScript(readWasmModule(w.bytes())), [
      { kind: "EM_JS", name: "beacon", signature: "(void)", body: "{ navigator.sendBeacon('https://example.com'); }" },
      { kind: "EM_ASM", address: 4096, body: asm },
    ], order);
  }
});

test("broken binaries fail with a WasmFormatError naming the offset", () => {
  const cases: { name: string; bytes: number[]; offset: number; message: RegExp }[] = [
    { name: "empty", bytes: [], offset: 0, message: /magic/ },
    { name: "not wasm", bytes: [0x7f, 0x45, 0x4c, 0x46, 1, 0, 0, 0], offset: 0, message: /magic/ },
    { name: "component", bytes: [0, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00], offset: 4, message: /component/ },
    { name: "version 2", bytes: [0, 0x61, 0x73, 0x6d, 2, 0, 0, 0], offset: 4, message: /version/ },
    { name: "section past end", bytes: [...header, 1, 10, 0], offset: 8, message: /runs past the end/ },
    { name: "unknown section", bytes: [...header, 14, 0], offset: 8, message: /unknown section id 14/ },
    { name: "duplicate section", bytes: [...header, 1, 1, 0, 1, 1, 0], offset: 11, message: /appears twice/ },
    { name: "truncated size", bytes: [...header, 1, 0x80], offset: 10, message: /unexpected end/ },
  ];
  for (const { name, bytes, offset, message } of cases) {
    assert.throws(() => readWasmModule(Uint8Array.from(bytes), { source: name }), (e: unknown) => {
      assert.ok(e instanceof WasmFormatError, name);
      assert.equal(e.offset, offset, name);
      assert.match(e.message, message, name);
      return true;
    });
  }
});

test("a section that decodes to fewer bytes than its size is reported, lazily", () => {
  const bytes = Uint8Array.from([...header, ...section(1, [0, 0xff])]);
  const module = readWasmModule(bytes);
  assert.throws(() => module.types(), (e: unknown) => e instanceof WasmFormatError && /1 unexpected bytes after the type section/.test(e.message));
});

test("isWasm checks the magic number only", () => {
  assert.equal(isWasm(Uint8Array.from(header)), true);
  assert.equal(isWasm(Uint8Array.from([0, 0x61, 0x73])), false);
});
