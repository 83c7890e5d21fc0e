import { strict as assert } from "node:assert";
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { crc32 } from "node:zlib";
import { bundledPyodideDir } from "../../src/platform/bundled-pyodide-dir.js";
import { runtimeFilesIn } from "../../src/platform/node-runtime-host.js";
import { patchPyodideGlue, tryDecodeLinkLayout } from "../../src/runtime/index.js";
import { baseEnv, kiln, makeTree } from "./support.js";
import { downloadWheel, unpackWheel } from "./wheels.js";

const bundled = bundledPyodideDir();
const glueText = readFileSync(join(bundled, "pyodide.asm.mjs"), "utf8");
const glueUrl = pathToFileURL(join(bundled, "pyodide.asm.mjs")).href;

interface LinkedModule {
  GOT: Record<string, { value: number } | undefined>;
  wasmTable: WebAssembly.Table;
  LDSO: { loadedLibsByName: Record<string, { exports: Record<string, unknown> } | undefined> };
  kilnLinkLayoutRecorded?: unknown;
}

/** Starts Pyodide (no snapshot) from `directory` with kiln's host code, patched glue kept in `cacheDir`. */
async function start(directory: string, cacheDir: string, env: Record<string, string> = {}) {
  const files = await runtimeFilesIn(directory, { cacheDir, env });
  const pyodide = (await files.loadPyodide({ indexURL: files.indexURL, stdout: () => undefined, stderr: () => undefined })) as {
    runPython(code: string): unknown;
    _module: LinkedModule;
  };
  return pyodide;
}

/** Every GOT entry's value (the main module's exports and what it imports), each table slot's arity, and the symbols. */
function linkState(module: LinkedModule, names: string[]): { got: Record<string, number>; table: string; symbols: string } {
  const got: Record<string, number> = {};
  for (const name of [...names, ...Object.keys(module.GOT)]) {
    const entry = module.GOT[name];
    if (entry) got[name] = entry.value;
  }
  const arities: string[] = [];
  for (let index = 0; index < module.wasmTable.length; index++) arities.push(String((module.wasmTable.get(index) as Function | null)?.length ?? "-"));
  // What the main module's symbol table (`wasmImports`, the exports of LDSO's "__main__") gives for each name.
  const symbols = module.LDSO.loadedLibsByName["__main__"]!.exports;
  const described = [...names, "main", "open64", "no_such_symbol"].map((name) => {
    const value = symbols[name];
    const shown = typeof value === "function" ? value.name : String((value as { value?: number } | undefined)?.value);
    return `${name}=${typeof value}:${shown}:${name in symbols}`;
  });
  return { got, table: arities.join(","), symbols: described.join("\n") };
}

test("the bundled runtime's glue is recognized; a changed function, a repeated anchor or a patched copy are not", () => {
  const patched = patchPyodideGlue(glueText, { glueUrl });
  assert.ok(patched.ok);
  assert.match(patched.text, /kilnLinkMain\(origExports\);LDSO\.init\(\)/);
  assert.ok(!patched.text.includes("import.meta.url"));
  // The factory and assignWasmExports are compiled with the module (parenthesized), not parsed twice.
  assert.ok(patched.text.startsWith("var _createPyodideModule=(async function _createPyodideModule(moduleArg={}){"));
  assert.ok(patched.text.endsWith(";return moduleRtn});export default _createPyodideModule;\n"));
  assert.match(patched.text, /;var assignWasmExports=\(function assignWasmExports\(wasmExports\)\{[^{}]*\}\);/);
  // The exports are not copied where nothing lists their names; where something does, they are.
  assert.ok(patched.text.includes("function applySignatureConversions(wasmExports){wasmExports=((exports)=>new Proxy({},"));
  const listed = patchPyodideGlue(glueText.replace("function initSuspenders(){", "function initSuspenders(){Object.keys(wasmExports);"), { glueUrl });
  assert.ok(listed.ok && listed.text.includes("function applySignatureConversions(wasmExports){wasmExports=Object.assign({},wasmExports);"));
  // Where the text does not show that wrapping is safe, the function is left as it is, and the rest still patched.
  const braced = patchPyodideGlue(glueText.replace("function assignWasmExports(wasmExports){", "function assignWasmExports(wasmExports){if(0){}"), { glueUrl });
  assert.ok(braced.ok && braced.text.includes(";function assignWasmExports(wasmExports){if(0){}") && braced.text.startsWith("var _createPyodideModule=("));
  const notFirst = patchPyodideGlue(`var kilnTest=1;${glueText}`, { glueUrl });
  assert.ok(notFirst.ok && notFirst.text.startsWith("var kilnTest=1;async function _createPyodideModule(") && notFirst.text.includes("var assignWasmExports=("));
  const cases: Array<[string, string]> = [
    ["updateGOT changed", glueText.replace("newValue=addFunction(value)", "newValue=addFunction(value,undefined)")],
    ["getFunctionAddress changed", glueText.replace("functionsInTableMap=new WeakMap;updateTableMap(0,wasmTable.length)", "functionsInTableMap=new Map;updateTableMap(0,wasmTable.length)")],
    ["reportUndefinedSymbols changed", glueText.replace("entry.value=addFunction(value,value.sig)", "entry.value=addFunction(value)")],
    ["receiveInstance changed", glueText.replace("updateGOT(origExports);LDSO.init();", "updateGOT(origExports,true);LDSO.init();")],
    ["an anchor twice", `${glueText}\nvar setWasmTableEntry=(idx,func)=>{wasmTable.set(idx,func);wasmTableMirror[idx]=wasmTable.get(idx)};`],
    ["already patched", patched.text],
  ];
  for (const [name, text] of cases) {
    assert.notEqual(text, glueText, name);
    const result = patchPyodideGlue(text, { glueUrl });
    assert.equal(result.ok, false, name);
  }
});

test("the patched glue links exactly as the original: every GOT entry, table slot and symbol, with a recorded layout and while recording one", async () => {
  const cacheDir = makeTree();
  const names = WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(join(bundled, "pyodide.asm.wasm")))).map((entry) => entry.name);
  const original = await start(bundled, cacheDir, { KILN_GLUE_PATCH: "off" });
  assert.ok(!existsSync(join(cacheDir, "glue")));
  const recording = await start(bundled, cacheDir);
  assert.ok(recording._module.kilnLinkLayoutRecorded, "the first patched start records the layout");
  const [layoutName] = readdirSync(join(cacheDir, "link-layouts"));
  assert.ok(tryDecodeLinkLayout(readFileSync(join(cacheDir, "link-layouts", layoutName!)), { checksum: crc32 }));
  const lazy = await start(bundled, cacheDir);
  assert.equal(lazy._module.kilnLinkLayoutRecorded, undefined, "the second start uses the layout");
  assert.equal(lazy.runPython("1 + 1"), 2);
  const expected = linkState(original._module, names);
  assert.ok(Object.keys(expected.got).length > 8000);
  assert.deepEqual(linkState(recording._module, names), expected);
  assert.deepEqual(linkState(lazy._module, names), expected);
});

test("an unrecognized glue runs unpatched, and still runs", async () => {
  const runtime = join(makeTree(), "pyodide");
  cpSync(bundled, runtime, { recursive: true });
  writeFileSync(join(runtime, "pyodide.asm.mjs"), glueText.replace("updateGOT(origExports);LDSO.init();", "updateGOT(origExports,false);LDSO.init();"));
  const cacheDir = makeTree();
  const pyodide = await start(runtime, cacheDir);
  assert.equal(pyodide.runPython("import json; json.dumps([1])"), "[1]");
  assert.equal(pyodide._module.kilnLinkLayoutRecorded, undefined);
  const kept = readdirSync(join(cacheDir, "glue"));
  assert.deepEqual(kept.map((name) => name.replace(/^[0-9a-f]+/, "")), [".unrecognized"]);
  assert.ok(!existsSync(join(cacheDir, "link-layouts")));
});

test("a corrupt link layout is recorded again; a patched copy that does not load is replaced by the original", async () => {
  const cacheDir = makeTree();
  await start(bundled, cacheDir);
  const [layoutName] = readdirSync(join(cacheDir, "link-layouts"));
  const layoutPath = join(cacheDir, "link-layouts", layoutName!);
  const layout = readFileSync(layoutPath);
  layout[40] = layout[40]! ^ 0xff;
  writeFileSync(layoutPath, layout);
  const again = await start(bundled, cacheDir);
  assert.ok(again._module.kilnLinkLayoutRecorded, "a layout whose checksum fails is not used");
  assert.ok(tryDecodeLinkLayout(readFileSync(layoutPath), { checksum: crc32 }));

  // Another cache: this process has already loaded the first one's copy.
  const otherCache = makeTree();
  const files = await runtimeFilesIn(bundled, { cacheDir: otherCache, env: {} });
  const [copy] = readdirSync(join(otherCache, "glue"));
  writeFileSync(join(otherCache, "glue", copy!), "export default syntax error here");
  const fallback = (await files.loadPyodide({ indexURL: files.indexURL, stdout: () => undefined, stderr: () => undefined })) as { runPython(code: string): unknown };
  assert.equal(fallback.runPython("2 * 21"), 42);
  assert.ok(!existsSync(join(otherCache, "glue", copy!)), "the broken copy is dropped, to be made again");
});

test("kiln run with the patched glue: a real extension module loads, cold and from the snapshot, as without the patch", () => {
  const site = makeTree();
  unpackWheel(downloadWheel("pydantic-core", { platform: "pyemscripten_2026_0_wasm32" }), site);
  unpackWheel(downloadWheel("typing-extensions"), site);
  const program = [
    "from pydantic_core import SchemaValidator, core_schema",
    "v = SchemaValidator(core_schema.list_schema(core_schema.int_schema()))",
    "print(v.validate_python(['1', 2]))",
  ].join("\n");
  const cacheDir = makeTree();
  const outputs = ["on", "on", "off"].map((patch) => {
    const result = kiln(["run", "-c", program], { env: baseEnv({ KILN_CACHE_DIR: cacheDir, PYTHONPATH: site, KILN_GLUE_PATCH: patch }) });
    assert.equal(result.status, 0, result.stderr);
    return result.stdout;
  });
  assert.deepEqual(outputs, ["[1, 2]\n", "[1, 2]\n", "[1, 2]\n"]);
  assert.equal(readdirSync(join(cacheDir, "link-layouts")).length, 1);
});

test("kiln run: the glue runs as a script from V8's code cache, kept after a start from a snapshot; a damaged cache is written again", () => {
  const cacheDir = makeTree();
  const run = (extra: Record<string, string> = {}) => {
    const result = kiln(["run", "-c", "import sys; print(sys.version_info[0] + 0)"], { env: baseEnv({ KILN_CACHE_DIR: cacheDir, KILN_DEBUG: "1", KILN_START_PROFILE: "off", ...extra }) });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, "3\n");
    // What happened to the code cache of the loader's script and the glue's.
    return [...result.stderr.matchAll(/kiln debug: code cache of [0-9a-f]+\.(loader\.)?js ([a-z-]+)/g)].map((match) => `${match[1] ? "loader " : ""}${match[2]}`).join(" ");
  };
  // The first run makes the snapshot (no start like the later ones); the second keeps the code.
  assert.deepEqual([run(), run(), run()], ["loader missing missing", "loader missing missing loader written written", "loader used used"]);
  const [code] = readdirSync(join(cacheDir, "glue")).filter((name) => name.endsWith(".code") && !name.endsWith(".loader.code"));
  const codePath = join(cacheDir, "glue", code!);
  const file = readFileSync(codePath);
  file[file.length >> 1]! ^= 0xff;
  writeFileSync(codePath, file);
  assert.deepEqual([run(), run()], ["loader used damaged written", "loader used used"]);
  assert.equal(run({ KILN_GLUE_CODE_CACHE: "off" }), "", "off: the glue is imported as a module");
});
