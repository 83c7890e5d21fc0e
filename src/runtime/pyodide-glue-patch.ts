/**
 * A lazier dynamic-linking set-up for Pyodide's Emscripten glue (`pyodide.asm.mjs`).
 *
 * When the main module is instantiated, Emscripten's `receiveInstance` calls `updateGOT` for its
 * ~8,500 exports: a `WebAssembly.Global` for each, and a table slot for each exported function
 * not yet in the table, found by first reading every table entry into a map. Only the ~280 GOT
 * entries the main module itself imports are needed then; the rest serve side modules and
 * `dlsym`, later or never. The patch keeps the table's layout exactly (a memory snapshot holds
 * table indices): it uses a {@link LinkLayout} recorded from an unpatched `updateGOT` of the same
 * build, reserves the same slots at once, sets the imported entries, and makes the GOT a proxy
 * that creates any other entry (and fills its table slot) on first lookup. Reading the whole
 * table waits until a wasm function's address is looked up (a side module loading), and every
 * reserved slot is filled before that or before JavaScript reads an empty slot.
 *
 * `reportUndefinedSymbols` puts the JavaScript functions it gives table slots into the table with
 * one wasm module (see `wrapperBatchPatchSource`), not one module each.
 *
 * Likewise `mergeLibSymbols(exports, "main")`, which copies every export into the symbol table
 * `wasmImports` (where nothing defines it yet), becomes a proxy over that table which finds a main
 * module's export when the table has nothing defined under its name.
 *
 * The patch applies only to glue whose functions read exactly as expected (each anchor below
 * occurs once); anything else is left to run unpatched.
 */
import { linkLayoutPatchSource } from "./link-layout-patch-source.js";
import { wrapperBatchPatchSource } from "./wrapper-batch-patch-source.js";

/** Bumped whenever the patch's output changes, so that patched copies of older versions are not reused. */
export const pyodideGluePatchVersion = 8;

/** What {@link patchPyodideGlue} gives: the patched text, or why the glue was not recognized. */
export type GluePatchResult = { ok: true; text: string } | { ok: false; reason: string };

interface Replacement {
  /** Exact text that must occur exactly once. */
  anchor: string;
  replacement: string;
}

const getFunctionAddress =
  "var getFunctionAddress=func=>{if(!functionsInTableMap){functionsInTableMap=new WeakMap;updateTableMap(0,wasmTable.length)}return functionsInTableMap.get(func)||0};";
const getWasmTableEntry =
  "var getWasmTableEntry=funcPtr=>{var func=wasmTableMirror[funcPtr];if(!func){wasmTableMirror[funcPtr]=func=wasmTable.get(funcPtr)}return func};";
const updateGOT =
  'var updateGOT=(exports,replace)=>{for(var symName in exports){if(isInternalSym(symName)){continue}var value=exports[symName];var existingEntry=GOT[symName]&&GOT[symName].value!=-1;if(replace||!existingEntry){var newValue;if(typeof value=="function"){newValue=addFunction(value)}else if(typeof value.value=="number"){newValue=value}else{continue}GOT[symName]??=new WebAssembly.Global({value:"i32",mutable:true});GOT[symName].value=newValue}}};';

const reportUndefinedSymbols =
  "var reportUndefinedSymbols=()=>{for(var[symName,entry]of Object.entries(GOT)){if(entry.value==-1){var value=resolveGlobalSymbol(symName,true).sym;if(!value&&!entry.required){entry.value=0;continue}else if(!value){throw new Error(`Dynamic linking error: undefined symbol '${symName}'`)}" +
  'if(typeof value=="function"){entry.value=addFunction(value,value.sig)}else if(typeof value=="number"){entry.value=value}else if(typeof value.value=="number"){entry.value=value}else{throw new Error(`bad export type for \'${symName}\': ${typeof value} (${value})`)}}}};';

// Each function the patch relies on, verbatim: if any of them differs, the glue is not patched.
const unchanged = [
  updateGOT,
  'var GOT={};var GOTHandler={get(weakImports,symName){var rtn=GOT[symName];if(!rtn){rtn=GOT[symName]=new WebAssembly.Global({value:"i32",mutable:true},-1)}if(!weakImports.has(symName)){rtn.required=true}return rtn}};',
  "var addFunction=(func,sig)=>{var rtn=getFunctionAddress(func);if(rtn){return rtn}var ret=getEmptyTableSlot();try{setWasmTableEntry(ret,func)}catch(err){if(!(err instanceof TypeError)){throw err}var wrapped=convertJsFunctionToWasm(func,sig);setWasmTableEntry(ret,wrapped)}functionsInTableMap.set(func,ret);return ret};",
  'var getEmptyTableSlot=()=>{if(freeTableIndexes.length){return freeTableIndexes.pop()}return wasmTable["grow"](1)};',
  "var setWasmTableEntry=(idx,func)=>{wasmTable.set(idx,func);wasmTableMirror[idx]=wasmTable.get(idx)};",
  "var updateTableMap=(offset,count)=>{if(functionsInTableMap){for(var i=offset;i<offset+count;i++){var item=getWasmTableEntry(i);if(item){functionsInTableMap.set(item,i)}}}};",
  reportUndefinedSymbols,
  'Module["GOT"]=GOT;',
  // What kilnPlaceBatch relies on: how a wrapper is made (its fallback) and the type codes.
  'var convertJsFunctionToWasm=(func,sig)=>{var bytes=Uint8Array.of(0,97,115,109,1,0,0,0,1,...uleb128EncodeWithLen([1,96,...generateTypePack(sig.slice(1)),...generateTypePack(sig[0]==="v"?"":sig[0])]),2,7,1,1,101,1,102,0,0,7,5,1,1,102,0,0);var module=new WebAssembly.Module(bytes);var instance=new WebAssembly.Instance(module,{e:{f:func}});var wrappedFunc=instance.exports["f"];return wrappedFunc};',
  "var wasmTypeCodes={i:127,p:127,j:126,f:125,d:124,e:111};",
  'var mergeLibSymbols=(exports,libName)=>{for(var[sym,exp]of Object.entries(exports)){const setImport=target=>{if(!isSymbolDefined(target)){wasmImports[target]=exp}};setImport(sym);const main_alias="__main_argc_argv";if(sym=="main"){setImport(main_alias)}if(sym==main_alias){setImport("main")}}};',
  "var isSymbolDefined=symName=>{var existing=wasmImports[symName];if(!existing||existing.stub){return false}return true};",
];

const replacements: Replacement[] = [
  { anchor: 'mergeLibSymbols(wasmExports,"main");var metadata=getDylinkMetadata(module);', replacement: "kilnMergeMainSymbols(wasmExports);var metadata=getDylinkMetadata(module);" },
  { anchor: "updateGOT(origExports);LDSO.init();", replacement: "kilnLinkMain(origExports);LDSO.init();" },
  {
    anchor: getFunctionAddress,
    replacement:
      "var getFunctionAddress=func=>{if(!functionsInTableMap){functionsInTableMap=new WeakMap;if(kilnLink.pending){kilnLink.scanPending=true}else{updateTableMap(0,wasmTable.length)}}" +
      "if(kilnLink.scanPending&&!kilnIsScriptFunction(func)){kilnLink.scanPending=false;kilnLink.fillAll();updateTableMap(0,wasmTable.length)}return functionsInTableMap.get(func)||0};",
  },
  {
    anchor: getWasmTableEntry,
    replacement:
      "var getWasmTableEntry=funcPtr=>{var func=wasmTableMirror[funcPtr];if(!func){wasmTableMirror[funcPtr]=func=wasmTable.get(funcPtr)}" +
      "if(!func&&kilnLink.pending){kilnLink.fillAll();wasmTableMirror[funcPtr]=func=wasmTable.get(funcPtr)}return func};",
  },
  { anchor: updateGOT, replacement: linkLayoutPatchSource + updateGOT },
  {
    anchor: reportUndefinedSymbols,
    replacement:
      wrapperBatchPatchSource +
      // The loop as it is, with the slots of JavaScript functions filled once it has ended (or thrown).
      reportUndefinedSymbols
        .replace("var reportUndefinedSymbols=()=>{", "var reportUndefinedSymbols=()=>{var kilnBatch=[];try{")
        .replace("entry.value=addFunction(value,value.sig)", "entry.value=kilnAddFunction(value,value.sig,kilnBatch)")
        .replace(/\};$/, "}finally{kilnPlaceBatch(kilnBatch)}};"),
  },
];

/**
 * Patches Pyodide's Emscripten glue (the text of `pyodide.asm.mjs`) for a lazy dynamic-linking
 * set-up; `glueUrl` is the original file's URL, which the copy uses as its `import.meta.url`.
 *
 * @example
 * const result = patchPyodideGlue(readFileSync(gluePath, "utf8"), { glueUrl: pathToFileURL(gluePath).href });
 * if (result.ok) writeFileSync(copyPath, result.text);
 */
export function patchPyodideGlue(text: string, options: { glueUrl: string }): GluePatchResult {
  if (text.includes("kilnLink")) return { ok: false, reason: "the glue already uses kiln's names" };
  for (const anchor of unchanged) {
    const count = occurrences(text, anchor);
    if (count !== 1) return { ok: false, reason: `expected one "${anchor.slice(0, 40)}…", found ${count}` };
  }
  let patched = text;
  for (const { anchor, replacement } of replacements) {
    const count = occurrences(patched, anchor);
    if (count !== 1) return { ok: false, reason: `expected one "${anchor.slice(0, 40)}…", found ${count}` };
    patched = patched.replace(anchor, () => replacement);
  }
  patched = compiledEagerly(patched);
  patched = exportsNotCopied(patched);
  // The copy lives elsewhere: relative URLs must still resolve against the runtime's directory.
  patched = patched.replaceAll("import.meta.url", JSON.stringify(options.glueUrl));
  return { ok: true, text: patched };
}

const factoryStart = "async function _createPyodideModule(moduleArg={}){";
const factoryEnd = ";return moduleRtn}export default _createPyodideModule;";
const assignStart = "function assignWasmExports(wasmExports){";

/**
 * The two large functions every start calls, as parenthesized function expressions, which V8
 * compiles with the code around them instead of first pre-parsing them and then parsing them
 * again at their first call: the module factory (the whole 1.2 MB glue, called once) and
 * `assignWasmExports` (387 KB of assignments, called once). Each is wrapped only where the text
 * shows it is safe, and left as it is otherwise (that only costs the second parse): the factory
 * when it is the file's first statement, exported after its last; `assignWasmExports` when its
 * body holds no braces (so its end is the first `}`) and it is defined before the factory awaits
 * the wasm, whose instantiation is what first calls it.
 */
function compiledEagerly(text: string): string {
  let result = text;
  if (result.startsWith(factoryStart) && occurrences(result, factoryEnd) === 1 && occurrences(result, factoryStart) === 1) {
    result = `var _createPyodideModule=(${factoryStart}${result.slice(factoryStart.length).replace(factoryEnd, () => ";return moduleRtn});export default _createPyodideModule;")}`;
  }
  const start = result.indexOf(assignStart);
  const bodyEnd = start === -1 ? -1 : result.indexOf("}", start + assignStart.length);
  const awaited = result.indexOf("wasmExports=await (createWasm());");
  if (occurrences(result, assignStart) !== 1 || bodyEnd === -1 || awaited < bodyEnd || !/[;}]$/.test(result.slice(0, start))) return result;
  if (result.slice(start + assignStart.length, bodyEnd).includes("{")) return result;
  return `${result.slice(0, start)}var assignWasmExports=(${result.slice(start, bodyEnd + 1)});${result.slice(bodyEnd + 1)}`;
}

const copiedExports = "function applySignatureConversions(wasmExports){wasmExports=Object.assign({},wasmExports);";
const exportsOverlay =
  "((exports)=>new Proxy({},{get:(own,name)=>Object.hasOwn(own,name)?own[name]:exports[name],has:(own,name)=>name in own||name in exports}))(wasmExports)";

/**
 * Emscripten's `applySignatureConversions` copies the instance's 8,560 exports into a new object
 * (~3.5 ms per start) to replace a few with wrappers. An overlay gives the same answer to every
 * read by name, which is all the glue does with it: a proxy over an empty object that keeps what
 * is assigned and reads anything else from the exports (not an object inheriting from them: the
 * exports are read-only, and assigning a read-only inherited property throws). Left as it is
 * when the glue lists the exports' names anywhere (`Object.keys`/`entries`/`values`,
 * `for...in`, a spread), where the overlay would list only what was assigned.
 */
function exportsNotCopied(text: string): string {
  if (occurrences(text, copiedExports) !== 1) return text;
  if (/Object\.(?:keys|entries|values|assign\(\{\},|getOwnProperty\w*)\(?wasmExports\)|\bin wasmExports\b|\.\.\.wasmExports\b/.test(text.replace(copiedExports, ""))) return text;
  return text.replace(copiedExports, () => `function applySignatureConversions(wasmExports){wasmExports=${exportsOverlay};`);
}

function occurrences(text: string, anchor: string): number {
  let count = 0;
  for (let at = text.indexOf(anchor); at !== -1; at = text.indexOf(anchor, at + anchor.length)) count += 1;
  return count;
}
