import { strict as assert } from "node:assert";
import { test } from "node:test";
import { readLoaderSymbols } from "./loader-symbols.js";

test("wasmImports keys are read in both key:value and shorthand form, ignoring nested values", () => {
  const script = `var x=1;var wasmImports={a:_a,b,"c":(x)=>{return {d:1}},e:f(1,2)};var resolveGlobalSymbol=(symName,direct=false)=>{var sym;if(isSymbolDefined(symName)){sym=wasmImports[symName]}else if(symName.startsWith("invoke_")){sym=1}return{sym}};var y={z:1};`;
  assert.deepEqual(readLoaderSymbols(script), { javascript: ["a", "b", "c", "e"], dynamicPrefixes: ["invoke_"] });
});

test("a script without wasmImports gives empty lists", () => {
  assert.deepEqual(readLoaderSymbols("console.log('hi')"), { javascript: [], dynamicPrefixes: [] });
});

test("braces inside strings do not end the object early", () => {
  assert.deepEqual(readLoaderSymbols(`var wasmImports={a:"}",b:'{',c};`).javascript, ["a", "b", "c"]);
});
