import { strict as assert } from "node:assert";
import { test } from "node:test";
import { Script } from "node:vm";
import { glueScriptImporter, glueScriptSource, loaderScriptSource } from "./glue-script.js";

// The patched glue's shape (see patchPyodideGlue): the factory as one parenthesized expression, then its export.
const head = "var _createPyodideModule=(async function _createPyodideModule(moduleArg={}){";
const tail = ";return moduleRtn});export default _createPyodideModule;\n";
const glue = (body: string) => `${head}var moduleRtn;${body}${tail}`;

/** Runs a script form with an importer that records what it is asked for; returns the factory's result and the requests. */
async function run(source: string): Promise<{ result: unknown; imported: string[] }> {
  const imported: string[] = [];
  const factory = (new Script(source).runInThisContext() as (importer: (url: string) => Promise<unknown>) => (arg: object) => Promise<unknown>)(async (url) => {
    imported.push(url);
    return { default: url.length };
  });
  return { result: await factory({}), imported };
}

test("a glue of the expected shape becomes a script returning its factory; its dynamic imports call the importer", async () => {
  const cases: Array<{ name: string; body: string; result: unknown; imported: string[] }> = [
    { name: "no import", body: "moduleRtn=1+1;", result: 2, imported: [] },
    { name: "import() of a literal and of an expression", body: 'var a=(await import("node:fs")).default;var u="x";var b=await import (u+"yz");moduleRtn=[a,b.default];', result: [7, 3], imported: ["node:fs", "xyz"] },
    { name: "names ending in import and properties stay", body: 'var o={import:x=>x,pyimport(x){return x+1}};moduleRtn=[o.import(1),o.pyimport(1)];', result: [1, 2], imported: [] },
    { name: "strict mode, as a module", body: "moduleRtn=(function(){return this})();", result: undefined, imported: [] },
  ];
  for (const { name, body, result, imported } of cases) {
    const source = glueScriptSource(glue(body));
    assert.ok(source, name);
    assert.deepEqual(await run(source), { result, imported }, name);
  }
});

test("anything else stays a module", () => {
  const cases: Array<[string, string]> = [
    ["not the factory first", `var x=1;${glue("")}`],
    ["no export", glue("").replace("export default _createPyodideModule;", "")],
    ["something after the export", `${glue("")}var y=2;`],
    ["a second export", glue("").replace(";export default", ";export var z=1;export default")],
    ["import.meta", glue("var u=import.meta.url;")],
    ["the importer's name in use", glue(`var ${glueScriptImporter}=1;`)],
    ["a method named import", glue("var o={import(x){return x}};")],
    ["an unpatched glue", "async function _createPyodideModule(moduleArg={}){return 1}export default _createPyodideModule;"],
  ];
  for (const [name, text] of cases) assert.equal(glueScriptSource(text), undefined, name);
});

test("a loader whose module syntax is one final export becomes an async script resolving to its exports", async () => {
  const loader = (body: string) => `var version="1.0";${body}async function load(x){var fs=await import("node:fs");return [x,fs.default]}export{load as loadPyodide,version};\n//# sourceMappingURL=pyodide.mjs.map\n`;
  const source = loaderScriptSource(loader("var ready=await Promise.resolve(1);"));
  assert.ok(source);
  const imported: string[] = [];
  const exports = await (new Script(source).runInThisContext() as (importer: (url: string) => Promise<unknown>) => Promise<{ loadPyodide(x: number): Promise<unknown>; version: string }>)(async (url) => {
    imported.push(url);
    return { default: "fs!" };
  });
  assert.deepEqual(Object.keys(exports), ["loadPyodide", "version"]);
  assert.equal(exports.version, "1.0");
  assert.deepEqual(await exports.loadPyodide(7), [7, "fs!"]);
  assert.deepEqual(imported, ["node:fs"]);
  const cases: Array<[string, string]> = [
    ["no export", "var x=1;"],
    ["a static import", loader('import{x}from"./y.js";')],
    ["a default import", loader('import y from"./y.js";')],
    ["an export elsewhere", loader("export var z=1;")],
    ["import.meta", loader("var u=import.meta.url;")],
    ["a default export at the end", "var x=1;export default x;"],
  ];
  for (const [name, text] of cases) assert.equal(loaderScriptSource(text), undefined, name);
});
