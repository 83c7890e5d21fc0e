/**
 * Pyodide's patched Emscripten glue as a classic script, which V8 can compile from a code cache.
 *
 * Node 20 keeps no compiled code of an ES module: every start compiled the 1.25 MB glue again
 * (~25–30 ms on the Python thread, before the functions it runs are compiled lazily on top). A
 * script compiled through `vm.Script` takes V8's code cache instead. The glue (as
 * `patchPyodideGlue` leaves it) is one module-level statement, the factory, and its export; what
 * makes it a module inside the factory is `import()` (which a script compiled from a code cache
 * cannot run on Node 20) and `import.meta` (which the patch has already replaced). The script is
 * a function expression that takes the importer and returns the factory, in strict mode as the
 * module was.
 */

/** The name the script's importer parameter has; a glue that already uses it is not converted. */
export const glueScriptImporter = "__kilnGlueImport";

const head = "var _createPyodideModule=(async function _createPyodideModule(";
const exported = "export default _createPyodideModule;";
const tail = `;return moduleRtn});${exported}`;

/**
 * The script form of a patched glue text, or undefined when the text is not the one statement and
 * export it expects (the glue then stays a module). Every `import(` that is not part of a longer
 * name or a property access calls the importer instead: inside a function body that is a dynamic
 * import, a method named `import` (which makes the glue stay a module) or text in a string (which
 * the glue this was checked on has none of).
 *
 * @example
 * const source = glueScriptSource(patched.text);
 * const factory = source && new vm.Script(source).runInThisContext()((url) => import(url));
 */
export function glueScriptSource(patched: string): string | undefined {
  const text = patched.trimEnd();
  if (!text.startsWith(head) || !text.endsWith(tail) || text.indexOf(exported) !== text.length - exported.length) return undefined;
  if (text.includes("import.meta") || text.includes(glueScriptImporter)) return undefined;
  // A method named `import` (`{import(x){...}}`) is no import: such a glue stays a module.
  if (/(?<![\w$.])import\s*\([^()]*\)\s*\{/.test(text)) return undefined;
  const body = text.slice(0, -exported.length).replace(/(?<![\w$.])import\s*\(/g, `${glueScriptImporter}(`);
  return `(function (${glueScriptImporter}) {"use strict";${body}\nreturn _createPyodideModule;\n})`;
}
