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
 * module was. Pyodide's loader (`pyodide.mjs`, which kiln imports before the glue) converts the
 * same way (see `loaderScriptSource`): with both, a `kiln run` needs no ES module at all on the
 * thread that runs Python, whose module loader's first use costs ~5 ms.
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
  const body = withImporter(text.slice(0, -exported.length));
  return body === undefined ? undefined : `(function (${glueScriptImporter}) {"use strict";${body}\nreturn _createPyodideModule;\n})`;
}

const finalExport = /(?<=^|[;}\n])export\s*\{([^{}]*)\};?\s*(\/\/# sourceMappingURL=[^\n]*\s*)?$/;

/**
 * The script form of a module whose only module syntax is one `export { local as name, ... }` at
 * its end and dynamic `import()` (Pyodide's minified loader, `pyodide.mjs`): an async function
 * (the module may await at its top level) that takes the importer and resolves to the exports.
 * Undefined for anything else: a static import, another export, `import.meta`.
 *
 * @example
 * const source = loaderScriptSource(readFileSync("pyodide.mjs", "utf8"));
 * const { loadPyodide } = await new vm.Script(source).runInThisContext()((url) => import(url));
 */
export function loaderScriptSource(text: string): string | undefined {
  const found = finalExport.exec(text);
  if (!found) return undefined;
  const rest = text.slice(0, found.index);
  if (/(?<![\w$.])export\b/.test(rest) || /(?<![\w$.])import\s*(?:[{*]|[\w$]+\s*(?:,|from\b)|["'])/.test(rest)) return undefined;
  const names: string[] = [];
  for (const binding of found[1]!.split(",")) {
    const parts = /^\s*([\w$]+)(?:\s+as\s+([\w$]+))?\s*$/.exec(binding);
    if (!parts) return undefined;
    names.push(`${JSON.stringify(parts[2] ?? parts[1])}: ${parts[1]}`);
  }
  const body = withImporter(rest);
  return body === undefined ? undefined : `(async function (${glueScriptImporter}) {"use strict";${body}\nreturn { ${names.join(", ")} };\n})`;
}

/** `text` with its dynamic imports calling the importer; undefined when it cannot be a script's. */
function withImporter(text: string): string | undefined {
  if (text.includes("import.meta") || text.includes(glueScriptImporter)) return undefined;
  // A method named `import` (`{import(x){...}}`) is no import: such a module stays a module.
  if (/(?<![\w$.])import\s*\([^()]*\)\s*\{/.test(text)) return undefined;
  return text.replace(/(?<![\w$.])import\s*\(/g, `${glueScriptImporter}(`);
}
