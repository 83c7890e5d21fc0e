/**
 * The JavaScript that `patchPyodideGlue` puts into Emscripten's glue, in the scope of its module
 * factory, so that `reportUndefinedSymbols` makes the table's wrappers of JavaScript functions in
 * one wasm module instead of one module each.
 *
 * A table slot holds only wasm functions, so Emscripten's `addFunction` wraps a JavaScript
 * function (one the main module or a side module takes the address of: ~260 of Pyodide's library
 * functions at every start) in a tiny module that imports and re-exports it: a `TypeError` thrown
 * and caught, then a module compiled and instantiated, per function; in profiles ~70 % of
 * `reportUndefinedSymbols`. `kilnWrapScriptFunctions()` first looks up every GOT entry that
 * `reportUndefinedSymbols` will resolve and builds one module importing and re-exporting all the
 * JavaScript functions among them (each with the type its `sig` gives, as Emscripten's
 * `convertJsFunctionToWasm` does); `kilnAddFunction(func, sig)` is `addFunction` with the wrapper
 * made ahead, taking the same slot in the same order, so the table's layout (which a memory
 * snapshot holds) is unchanged. A function without a usable `sig`, or any failure, leaves the
 * function to `addFunction`.
 */
export const wrapperBatchPatchSource = [
  "var kilnWrapped=new Map;",
  "function kilnWrapAll(funcs,sigs){var map=new Map,types=[],typeIndex=new Map,typeOf=[],kept=[];" +
    "function leb(n,out){do{var b=n&127;n>>>=7;if(n)b|=128;out.push(b)}while(n)}" +
    "function vec(items,out){leb(items.length,out);for(var k=0;k<items.length;k++)out.push(items[k])}" +
    "function name(s,out){leb(s.length,out);for(var k=0;k<s.length;k++)out.push(s.charCodeAt(k))}" +
    "function section(id,out,body){out.push(id);leb(body.length,out);for(var k=0;k<body.length;k++)out.push(body[k])}" +
    "for(var i=0;i<funcs.length;i++){var sig=sigs[i],codes=Array.from(sig,t=>wasmTypeCodes[t]),params=codes.slice(1),results=sig[0]==\"v\"?[]:codes.slice(0,1);" +
    "if(!sig.length||params.concat(results).some(c=>c===undefined))continue;" +
    "if(!typeIndex.has(sig)){typeIndex.set(sig,types.length);var t=[96];vec(params,t);vec(results,t);types.push(t)}kept.push(i);typeOf.push(typeIndex.get(sig))}" +
    "if(!kept.length)return map;" +
    "var typeBody=[],importBody=[],exportBody=[],imports={};leb(types.length,typeBody);for(var t of types)for(var b of t)typeBody.push(b);" +
    "leb(kept.length,importBody);leb(kept.length,exportBody);" +
    'for(var j=0;j<kept.length;j++){name("e",importBody);name(String(j),importBody);importBody.push(0);leb(typeOf[j],importBody);name(String(j),exportBody);exportBody.push(0);leb(j,exportBody);imports[j]=funcs[kept[j]]}' +
    "var bytes=[0,97,115,109,1,0,0,0];section(1,bytes,typeBody);section(2,bytes,importBody);section(7,bytes,exportBody);" +
    "var exports=new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(bytes)),{e:imports}).exports;" +
    "for(var j=0;j<kept.length;j++)map.set(funcs[kept[j]],{sig:sigs[kept[j]],wrapped:exports[j]});return map}",
  "function kilnWrapScriptFunctions(){var funcs=[],sigs=[],seen=new Set;" +
    "for(var[symName,entry]of Object.entries(GOT)){if(entry.value!=-1)continue;var value=resolveGlobalSymbol(symName,true).sym;" +
    'if(typeof value!="function"||typeof value.sig!="string"||seen.has(value)||kilnWrapped.has(value)||!kilnIsScriptFunction(value))continue;seen.add(value);funcs.push(value);sigs.push(value.sig)}' +
    "if(!funcs.length)return;try{for(var[func,made]of kilnWrapAll(funcs,sigs))kilnWrapped.set(func,made)}catch{}}",
  "function kilnAddFunction(func,sig){var made=kilnWrapped.get(func);if(!made||made.sig!==sig)return addFunction(func,sig);" +
    "var rtn=getFunctionAddress(func);if(rtn){return rtn}var ret=getEmptyTableSlot();setWasmTableEntry(ret,made.wrapped);functionsInTableMap.set(func,ret);return ret}",
].join("");
