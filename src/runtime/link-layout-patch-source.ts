/**
 * The JavaScript that `patchPyodideGlue` puts into Emscripten's glue, in the scope of its module
 * factory (it uses the glue's own `GOT`, `wasmTable`, `updateGOT`, `setWasmTableEntry`...).
 *
 * `kilnLinkMain(exports)` replaces `updateGOT(exports)` for the main module. With a valid
 * `Module.kilnLinkLayout` (see `LinkLayout`) it reserves the table slots `updateGOT` would have
 * added, sets the GOT entries that already exist (the main module's own imports: found by the
 * layout's `existing` when it lists exactly these, so that the exports' names are listed only
 * once something asks for an entry by name or a slot's function) and turns `GOT` into a proxy
 * that creates the others when first looked up; without one it runs `updateGOT` and
 * leaves the layout it produced in `Module.kilnLinkLayoutRecorded`. `kilnLink.fillAll()` fills
 * every reserved slot; the patched `getFunctionAddress` and `getWasmTableEntry` call it before
 * they read the table. A script function (not a wasm function) is never a table entry, so looking
 * one up does not need the table read.
 *
 * `kilnMergeMainSymbols(exports)` replaces `mergeLibSymbols(exports, "main")`: instead of copying
 * each export into `wasmImports` where nothing defined is there, `wasmImports` becomes a proxy
 * that answers with the export in that case.
 */
export const linkLayoutPatchSource = [
  "var kilnLink={pending:false,scanPending:false,fillAll(){}};",
  'function kilnIsScriptFunction(func){return typeof func=="function"&&!Function.prototype.toString.call(func).endsWith("[native code] }")}',
  "function kilnRecordLinkLayout(exports,names,before,existing){var kinds=new Uint8Array(names.length),values=new Int32Array(names.length),at=new Map;" +
    "for(var i=0;i<names.length;i++){var name=names[i];at.set(name,i);if(!Object.hasOwn(GOT,name))continue;var global=GOT[name];" +
    'if(!(global instanceof WebAssembly.Global)||global.value==-1)continue;kinds[i]=typeof exports[name]=="function"?1:2;values[i]=global.value}' +
    "var positions=Int32Array.from(existing,name=>at.has(name)?at.get(name):-1);" +
    "return{tableBefore:before,tableAfter:wasmTable.length,count:names.length,kinds,values,existing:{names:existing,positions}}}",
  // The export positions of the GOT entries there are now, when the layout lists exactly these.
  "function kilnKnownEntries(layout,existing,exports){var recorded=layout.existing;if(!recorded||recorded.names.length!==existing.length)return undefined;" +
    "var at=new Map;for(var k=0;k<recorded.names.length;k++)at.set(recorded.names[k],recorded.positions[k]);var known=new Int32Array(existing.length);" +
    "for(var k=0;k<existing.length;k++){var position=at.get(existing[k]);if(position===undefined||position>=0&&!Object.hasOwn(exports,existing[k]))return undefined;known[k]=position}return known}",
  "function kilnLinkMain(exports){var layout=Module.kilnLinkLayout,before=wasmTable.length,target=GOT,existing=Object.keys(target),names;" +
    "function allNames(){return names??=Object.keys(exports)}" +
    "var known=layout&&kilnKnownEntries(layout,existing,exports);" +
    "if(!layout||layout.tableBefore!==before||!(layout.tableAfter>=before)||layout.kinds.length!==layout.count||layout.values.length!==layout.count||freeTableIndexes.length||functionsInTableMap||!known&&allNames().length!==layout.count){" +
    "updateGOT(exports);Module.kilnLinkLayoutRecorded=kilnRecordLinkLayout(exports,allNames(),before,existing);return}" +
    "var kinds=layout.kinds,values=layout.values,filled=new Uint8Array(layout.tableAfter-before),positions;" +
    "if(layout.tableAfter>before)wasmTable.grow(layout.tableAfter-before);" +
    "function fill(i,name){var index=values[i];if(index>=before&&!filled[index-before]){filled[index-before]=1;setWasmTableEntry(index,exports[name??allNames()[i]])}}" +
    'function entry(i){if(kinds[i]===1)fill(i);var global=new WebAssembly.Global({value:"i32",mutable:true});global.value=values[i];return global}' +
    "function positionOf(name){if(!positions){positions=new Map;var all=allNames();for(var i=0;i<all.length;i++)positions.set(all[i],i)}return positions.get(name)}" +
    "if(known){for(var k=0;k<existing.length;k++){var i=known[k];if(i>=0&&kinds[i]){if(kinds[i]===1)fill(i,existing[k]);target[existing[k]].value=values[i]}}}" +
    "else{var all=allNames();for(var i=0;i<all.length;i++){if(kinds[i]&&Object.hasOwn(target,all[i])){if(kinds[i]===1)fill(i);target[all[i]].value=values[i]}}}" +
    "kilnLink.pending=true;" +
    "kilnLink.fillAll=()=>{if(!kilnLink.pending)return;kilnLink.pending=false;for(var i=0;i<layout.count;i++)if(kinds[i]===1)fill(i)};" +
    'GOT=new Proxy(target,{get(t,name){var value=t[name];if(value!==undefined||typeof name!="string")return value;var i=positionOf(name);if(i===undefined||!kinds[i])return undefined;return t[name]=entry(i)},' +
    'has(t,name){if(name in t)return true;var i=typeof name=="string"?positionOf(name):undefined;return i!==undefined&&kinds[i]>0}});' +
    'Module["GOT"]=GOT}',
  // `main` is an alias of `__main_argc_argv`; a module exporting both keeps Emscripten's own merge.
  'function kilnMergeMainSymbols(exports){if(Object.hasOwn(exports,"main")){mergeLibSymbols(exports,"main");return}' +
    'function exported(name){return Object.hasOwn(exports,name)?exports[name]:name=="main"&&Object.hasOwn(exports,"__main_argc_argv")?exports["__main_argc_argv"]:undefined}' +
    'wasmImports=new Proxy(wasmImports,{get(t,name){var value=t[name];if(value&&!value.stub||typeof name!="string")return value;var found=exported(name);return found===undefined?value:found},' +
    'has(t,name){return name in t||typeof name=="string"&&exported(name)!==undefined}})}',
].join("");
