// Hostile-input test for the WASM reader: over 100 000 random and mutated modules (synthetic
// side modules, a reduced real pydantic-core module, truncations of the whole real module).
// Every input must end in a result or a WasmFormatError whose offset lies inside the input.
// Deterministic (seeded); a failing input is written to .cache/wasm-fuzz/ to reproduce it.
import { strict as assert } from "node:assert";
import { mkdirSync, writeFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { extractEmbeddedJavaScript, readWasmModule, WasmFormatError } from "../../src/wasm/index.js";
import { downloadWasmWheel, wheelExtensionModules } from "../support/wasm-wheels.js";
import { section, signed, unsigned, vector, WasmWriter } from "../support/wasm-writer.js";

function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

function exercise(bytes: Uint8Array): void {
  const module = readWasmModule(bytes, { source: "fuzz.wasm" });
  module.types();
  module.imports();
  module.functions();
  module.tables();
  module.memories();
  module.globals();
  module.exports();
  module.tags();
  module.dataSegments();
  module.dylink();
  module.producers();
  module.targetFeatures();
  module.codeFeatures();
  extractEmbeddedJavaScript(module);
  for (let index = 0; index < 4; index++) module.functionType(index);
}

function syntheticModule(): Uint8Array {
  const w = new WasmWriter();
  const sig = w.type(["i32", "i64"], ["i32"]);
  const tagSig = w.type(["i32"], []);
  w.dylink({ memorySize: 32, tableSize: 1, needed: ["liba.so"], runtimePaths: ["$ORIGIN"], exportInfo: [["x", 0x100]], importInfo: [["env", "w", 1]] });
  w.importMemory("env", "memory", { min: 1, max: 10, shared: true });
  w.importGlobal("env", "__memory_base");
  w.importGlobal("GOT.func", "f", "i32", true);
  w.importFunction("env", "g", sig);
  w.importTag("env", "__cpp_exception", tagSig);
  w.activeData([0x23, 0x00, 0x41, 0x04, 0x6a], new TextEncoder().encode("(int x)<::>{ return x; }\0"));
  w.exportGlobal("__em_js__f", w.global("i32", false, [0x41, 0x04]));
  const body = [
    0x06, 0x40, 0x41, 0x00, 0x08, 0x00, 0x19, 0x0b,
    0x1f, 0x40, 0x01, 0x02, 0x00, 0x0b,
    0x41, 0x00, 0xfe, 0x10, 0x02, 0x00, 0x1a,
    0xfd, 12, ...new Array(16).fill(7), 0x1a,
    0x42, ...signed(-123456789), 0x1a, 0x41, 0x00, 0x0b,
  ];
  w.exportFunction("PyInit_fuzz", w.function(sig, body, [[1, "i32"], [2, "f64"]]));
  w.custom("producers", vector([[...unsigned(8), ...new TextEncoder().encode("language"), 0x01, 0x01, 0x43, 0x02, 0x31, 0x31]]));
  return w.bytes();
}

/** The real module with its code cut to a few bodies and its data dropped, so mutations stay cheap. */
function reducedRealModule(real: Uint8Array): Uint8Array {
  const module = readWasmModule(real);
  const out: number[] = [...real.subarray(0, 8)];
  for (const s of module.sections) {
    if (s.name === "data" || s.name === "datacount") continue;
    if (s.name === "code") {
      const bodies = module.functionBodies().filter((b) => b.size < 2048).slice(0, 24);
      out.push(...section(10, vector(bodies.map((b) => [...unsigned(b.size), ...real.subarray(b.offset, b.offset + b.size)]))));
      continue;
    }
    out.push(...real.subarray(s.start, s.offset + s.size));
  }
  return Uint8Array.from(out);
}

function mutate(input: Uint8Array, next: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(next() * n);
  let bytes = Uint8Array.from(input);
  const rounds = 1 + pick(4);
  for (let round = 0; round < rounds; round++) {
    const at = pick(bytes.length);
    switch (pick(6)) {
      case 0: bytes[at] = bytes[at]! ^ (1 << pick(8)); break;
      case 1: bytes[at] = [0x00, 0xff, 0x80, 0x7f, 0x40, 0x0b][pick(6)]!; break;
      case 2: bytes = bytes.subarray(0, 8 + pick(Math.max(1, bytes.length - 8))); break;
      case 3: bytes = Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + 1 + pick(16))]); break;
      case 4: bytes = Uint8Array.from([...bytes.subarray(0, at), ...Array.from({ length: 1 + pick(8) }, () => pick(256)), ...bytes.subarray(at)]); break;
      default: bytes.set([0xff, 0xff, 0xff, 0xff, 0x0f].slice(0, Math.min(5, bytes.length - at)), at); break;
    }
  }
  return bytes;
}

test("over 100 000 hostile modules each end in a result or a WasmFormatError with an offset", () => {
  const real = [...wheelExtensionModules(downloadWasmWheel({ project: "pydantic-core" })).values()][0]!;
  const reduced = reducedRealModule(real);
  const synthetic = syntheticModule();
  exercise(synthetic);
  exercise(reduced);
  const next = random(0x6b696c6e);
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const plan: [string, number, () => Uint8Array][] = [
    ["random bytes", 15_000, () => Uint8Array.from({ length: Math.floor(next() * 64) }, () => Math.floor(next() * 256))],
    ["random sections", 15_000, () => Uint8Array.from([...header, ...Array.from({ length: Math.floor(next() * 96) }, () => Math.floor(next() * 256))])],
    ["mutated synthetic side module", 40_000, () => mutate(synthetic, next)],
    ["mutated reduced real module", 30_000, () => mutate(reduced, next)],
    ["truncated real module", 1_000, () => real.subarray(0, Math.floor(next() * real.length))],
  ];
  const outcomes = { results: 0, errors: 0 };
  let total = 0;
  for (const [kind, count, make] of plan) {
    for (let index = 0; index < count; index++) {
      const input = make();
      total++;
      try {
        exercise(input);
        outcomes.results++;
      } catch (error) {
        if (error instanceof WasmFormatError && Number.isInteger(error.offset) && error.offset >= 0 && error.offset <= input.length) {
          outcomes.errors++;
          continue;
        }
        const directory = fileURLToPath(new URL("../../.cache/wasm-fuzz/", import.meta.url));
        mkdirSync(directory, { recursive: true });
        writeFileSync(`${directory}/failure-${total}.wasm`, input);
        assert.fail(`${kind} #${index} crashed the reader (saved to .cache/wasm-fuzz/failure-${total}.wasm): ${(error as Error).stack}`);
      }
    }
  }
  assert.ok(total >= 100_000);
  // Mutations must exercise both paths, or the test proves nothing.
  assert.ok(outcomes.results > 1_000, `only ${outcomes.results} inputs decoded fully`);
  assert.ok(outcomes.errors > 10_000, `only ${outcomes.errors} inputs were rejected`);
});
