import { strict as assert } from "node:assert";
import { test } from "node:test";
import { patchSideModuleCompile } from "./side-module-compile-patch.js";

// The part of Emscripten's loadWebAssemblyModule (Pyodide 314's glue) that the patch hooks.
const glue =
  "var loadWebAssemblyModule=(binary,flags,libName,localScope,handle)=>{function loadModule(){" +
  "if(flags.loadAsync){return(async()=>{var instance;if(binary instanceof WebAssembly.Module){instance=new WebAssembly.Instance(binary,info)}else{({module:binary,instance}=await WebAssembly.instantiate(binary,info))}return postInstantiation(binary,instance)})()}" +
  "var module=binary instanceof WebAssembly.Module?binary:new WebAssembly.Module(binary);var instance=new WebAssembly.Instance(module,info);return postInstantiation(module,instance)}}";

/** Runs the patched function body with a stand-in Module, info and postInstantiation. */
async function runPatched(text: string, options: { loadAsync: boolean; cached?: WebAssembly.Module }): Promise<{ compiled: unknown[]; told: unknown[]; result: unknown }> {
  const compiled: unknown[] = [];
  const told: unknown[] = [];
  const Module = {
    kilnCompileSideModule: (bytes: Uint8Array, libName: string) => (compiled.push([bytes.length, libName]), options.cached),
    kilnSideModuleInstantiated: (module: unknown, _instance: unknown, libName: string) => told.push([module === options.cached ? "cached" : "compiled", libName]),
  };
  // loadModule is local to loadWebAssemblyModule: the stand-in returns it.
  const exposed = text.replace("function loadModule(){", "return {loadModule:function(){").replace(/}}$/, "}}}");
  const result = await new Function("Module", "info", "postInstantiation", "binary", "flags", `${exposed};return loadWebAssemblyModule(binary,flags,"lib.so").loadModule()`)(
    Module,
    {},
    (module: unknown) => module,
    minimalModule,
    { loadAsync: options.loadAsync },
  );
  return { compiled, told, result };
}

const minimalModule = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

test("both of the glue's paths ask for a cached module and tell of the instance; without one they compile as before", async () => {
  const patched = patchSideModuleCompile(glue);
  assert.ok(patched.ok);
  const cached = new WebAssembly.Module(minimalModule);
  for (const loadAsync of [false, true]) {
    const hit = await runPatched(patched.text, { loadAsync, cached });
    assert.equal(hit.result, cached, `${loadAsync ? "async" : "sync"}: the cached module is instantiated`);
    assert.deepEqual(hit.compiled, [[8, "lib.so"]]);
    assert.deepEqual(hit.told, [["cached", "lib.so"]]);
    const miss = await runPatched(patched.text, { loadAsync });
    assert.ok(miss.result instanceof WebAssembly.Module && miss.result !== cached, "compiled by the glue");
    assert.deepEqual(miss.told, [["compiled", "lib.so"]]);
  }
});

test("glue that does not read as expected, or was hooked already, is left alone", () => {
  assert.equal(patchSideModuleCompile(glue.replace("new WebAssembly.Module(binary)", "compile(binary)")).ok, false);
  assert.equal(patchSideModuleCompile(glue + glue).ok, false, "an anchor twice");
  const once = patchSideModuleCompile(glue);
  assert.ok(once.ok);
  assert.equal(patchSideModuleCompile(once.text).ok, false);
});
