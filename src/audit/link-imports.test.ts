import { strict as assert } from "node:assert";
import { test } from "node:test";
import { WasmWriter } from "../../test/support/wasm-writer.js";
import { readWasmModule } from "../wasm/index.js";
import { collectWheelSymbols, linkImports } from "./link-imports.js";
import type { RuntimeManifest } from "./runtime-manifest.js";

const manifest = {
  schema: 1, name: "pyodide", version: "0", mainModuleSha256: "", functions: ["PyLong_FromLong", "emscripten_run_script"], data: ["PyExc_TypeError"],
  tags: ["__cpp_exception"], globals: [], javascript: ["emscripten_run_script"], dynamicPrefixes: [], sharedLibraries: [],
  features: { exceptions: "wasm", exceptionEncoding: "exnref", longjmp: "wasm", bigint: true, sharedMemory: false, memory64: false, simd: false },
} satisfies RuntimeManifest;

function module(imports: [string, string][], exports: string[] = []) {
  const w = new WasmWriter();
  const type = w.type([], []);
  for (const [namespace, name] of imports) w.importFunction(namespace, name, type);
  for (const name of exports) w.exportFunction(name, w.function(type, [0x0b]));
  return readWasmModule(w.bytes());
}

test("imports resolve against the runtime, its JavaScript library and the wheel's other modules, counted by namespace and source", () => {
  const library = module([], ["helper", "shared"]);
  const extension = module([["env", "PyLong_FromLong"], ["env", "emscripten_run_script"], ["env", "helper"], ["GOT.func", "shared"], ["env", "missing"], ["GOT.mem", "PyExc_TypeError"]], ["shared"]);
  const symbols = collectWheelSymbols([["pkg/libfoo.so", library], ["pkg/_ext.so", extension]]);
  assert.equal(symbols.functions.get("shared"), "pkg/libfoo.so", "the first module exporting a name wins");
  assert.deepEqual(linkImports(extension, manifest, symbols), {
    total: 6,
    byNamespace: { env: 4, "GOT.func": 1, "GOT.mem": 1 },
    resolved: { runtime: 2, javascript: 1, wheel: 2 },
    unresolved: [{ module: "env", name: "missing", kind: "function" }],
  });
});

test("namespaces named like Object.prototype members are counted as any other", () => {
  const hostile = module([["__proto__", "a"], ["toString", "b"], ["toString", "c"], ["constructor", "d"]]);
  const linking = linkImports(hostile, manifest, collectWheelSymbols([]));
  assert.deepEqual(Object.entries(linking.byNamespace), [["__proto__", 1], ["toString", 2], ["constructor", 1]]);
  assert.equal(linking.unresolved.length, 4);
});
