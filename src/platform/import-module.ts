/**
 * `import()` of a module by URL, for the ES modules kiln loads by path at run time (Pyodide's).
 * In the one-file CommonJS bundle that `kiln pip` runs through V8's code cache, this module is
 * replaced (scripts/bundle.mjs) by a call to the `import()` of the ES module that loaded the
 * bundle: Node 20 cannot run `import()` in code deserialized from a code cache ("A dynamic
 * import callback was not specified").
 *
 * @example
 * const { loadPyodide } = await importModule<{ loadPyodide: LoadPyodide }>(pathToFileURL(path).href);
 */
export function importModule<T>(url: string): Promise<T> {
  return import(url) as Promise<T>;
}
