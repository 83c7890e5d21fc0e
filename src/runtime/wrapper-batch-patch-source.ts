/**
 * The JavaScript that `patchPyodideGlue` puts into Emscripten's glue, in the scope of its module
 * factory, so that `reportUndefinedSymbols` puts the JavaScript functions it gives table slots
 * into the table with one small wasm module, instead of one module each.
 *
 * A table slot holds only wasm functions, so Emscripten's `addFunction` wraps a JavaScript
 * function (one the main module or a side module takes the address of: ~260 of Pyodide's library
 * functions at every start) in a tiny module that imports and re-exports it: a `TypeError`
 * thrown and caught, a module compiled (with V8's JS-to-wasm wrapper for its export compiled
 * again, per module) and instantiated, per function: ~20 ms per start. Here
 * `kilnAddFunction(func, sig, batch)` takes the slot `addFunction` would (the same order, so the
 * table's layout, which a memory snapshot holds, is unchanged) and records it; at the end of
 * `reportUndefinedSymbols`, `kilnPlaceBatch(batch)` instantiates one module that imports the
 * table and the functions (each with the type its `sig` gives, as Emscripten's
 * `convertJsFunctionToWasm` does) and whose element segments put each function in its slot.
 * The module exports nothing, so no JS-to-wasm wrapper is compiled; the glue's mirror of the
 * table reads those slots when first asked. A function without a usable `sig` goes through
 * `addFunction`, and should the module fail, each recorded function is placed as `addFunction`
 * would.
 */
export const wrapperBatchPatchSource = [
  // A result type, or "v" for none, then the parameters' types.
  "function kilnSignatureUsable(sig){if(typeof sig!=\"string\"||!sig.length||sig[0]!=\"v\"&&wasmTypeCodes[sig[0]]===undefined)return false;for(var k=1;k<sig.length;k++)if(wasmTypeCodes[sig[k]]===undefined)return false;return true}",
  "function kilnAddFunction(func,sig,batch){if(!kilnSignatureUsable(sig)||!kilnIsScriptFunction(func))return addFunction(func,sig);" +
    "var rtn=getFunctionAddress(func);if(rtn){return rtn}var ret=getEmptyTableSlot();functionsInTableMap.set(func,ret);batch.push([ret,func,sig]);return ret}",
  "function kilnPlaceBatch(batch){if(!batch.length)return;try{kilnPlaceAll(batch)}catch{" +
    "for(var[slot,func,sig]of batch)setWasmTableEntry(slot,convertJsFunctionToWasm(func,sig))}}",
  "function kilnPlaceAll(batch){" +
    "function leb(n,out){do{var b=n&127;n>>>=7;if(n)b|=128;out.push(b)}while(n)}" +
    "function sleb(n,out){for(;;){var b=n&127;n>>=7;if(n===0&&!(b&64)||n===-1&&b&64){out.push(b);return}out.push(b|128)}}" +
    "function name(s,out){leb(s.length,out);for(var k=0;k<s.length;k++)out.push(s.charCodeAt(k))}" +
    "function section(id,out,body){out.push(id);leb(body.length,out);for(var k=0;k<body.length;k++)out.push(body[k])}" +
    "var typeIndex=new Map,types=[],typeBody=[],importBody=[],elementBody=[],imports={t:wasmTable};" +
    "for(var[,,sig]of batch){if(typeIndex.has(sig))continue;typeIndex.set(sig,types.length);" +
    'var t=[96],params=Array.from(sig.slice(1),c=>wasmTypeCodes[c]),results=sig[0]=="v"?[]:[wasmTypeCodes[sig[0]]];' +
    "leb(params.length,t);t.push(...params);leb(results.length,t);t.push(...results);types.push(t)}" +
    "leb(types.length,typeBody);for(var t of types)typeBody.push(...t);" +
    // The table (funcref, at least 0 elements, any maximum), then each function.
    'leb(batch.length+1,importBody);name("e",importBody);name("t",importBody);importBody.push(1,112,0,0);' +
    // One active element segment per slot: table 0, i32.const slot, the function.
    "leb(batch.length,elementBody);" +
    'for(var i=0;i<batch.length;i++){var[slot,func,sig]=batch[i];name("e",importBody);name(String(i),importBody);importBody.push(0);leb(typeIndex.get(sig),importBody);' +
    "imports[i]=func;elementBody.push(0,65);sleb(slot,elementBody);elementBody.push(11,1);leb(i,elementBody)}" +
    "var bytes=[0,97,115,109,1,0,0,0];section(1,bytes,typeBody);section(2,bytes,importBody);section(9,bytes,elementBody);" +
    "new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(bytes)),{e:imports})}",
].join("");
