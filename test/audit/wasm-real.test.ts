// Differential test: kiln's WASM reader against the JavaScript engine's own decoder
// (WebAssembly.Module.imports/exports/customSections) on real modules: a real pyemscripten
// extension module from the public index and the Pyodide runtime's main module.
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { readWasmModule } from "../../src/wasm/index.js";
import { downloadWasmWheel, wheelExtensionModules } from "../support/wasm-wheels.js";

const pyodideDirectory = dirname(createRequire(import.meta.url).resolve("pyodide/package.json"));

function compareWithEngine(name: string, bytes: Uint8Array): void {
  const ours = readWasmModule(bytes, { source: name });
  const engine = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  assert.deepEqual(ours.imports().map((i) => ({ module: i.module, name: i.name, kind: i.kind })), WebAssembly.Module.imports(engine), name);
  assert.deepEqual(ours.exports().map((e) => ({ name: e.name, kind: e.kind })), WebAssembly.Module.exports(engine), name);
  for (const custom of ours.customSections()) {
    const theirs = WebAssembly.Module.customSections(engine, custom.name);
    assert.ok(theirs.some((t) => Buffer.from(t).equals(ours.payload(custom))), `${name}: custom section ${custom.name}`);
  }
  assert.equal(ours.functionBodies().length, ours.functions().length, name);
  const features = ours.codeFeatures();
  assert.deepEqual(features.unknownInstructions, [], name);
  assert.equal(ours.sections[0]!.name, "dylink.0", `${name}: dylink.0 comes first`);
}

test("a real pyemscripten extension module decodes exactly as the engine sees it", () => {
  const wheel = downloadWasmWheel({ project: "pydantic-core" });
  const modules = wheelExtensionModules(wheel);
  assert.ok(modules.size > 0);
  for (const [name, bytes] of modules) {
    compareWithEngine(name, bytes);
    const module = readWasmModule(bytes);
    assert.ok(module.exports().some((e) => e.name === "PyInit__pydantic_core"));
    assert.equal(module.dylink()!.format, "dylink.0");
    assert.equal(module.codeFeatures().legacyExceptions, true, "Pyodide 314 builds use wasm exceptions (legacy encoding)");
  }
});

test("the Pyodide runtime's main module decodes exactly as the engine sees it", () => {
  const bytes = readFileSync(join(pyodideDirectory, "pyodide.asm.wasm"));
  compareWithEngine("pyodide.asm.wasm", bytes);
});
