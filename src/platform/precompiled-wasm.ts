/**
 * Lets Pyodide instantiate a `WebAssembly.Module` compiled earlier (on another thread) instead of
 * compiling `pyodide.asm.wasm` itself.
 *
 * Pyodide offers no option for this: its `instantiateWasm` hook reads the file and calls
 * `WebAssembly.instantiate(bytes, imports)` after adding imports of its own (its JsvError helpers).
 * So while `run` is pending, `WebAssembly.instantiate` is wrapped: the one call whose bytes have
 * the main module's exact size gets the precompiled module instead, with Pyodide's own imports,
 * and the same `{ module, instance }` result. Every other call (Pyodide's small helper modules,
 * side modules) goes to V8 unchanged, and the wrapper is removed at that first match or when
 * `run` settles, whichever comes first.
 */

type Instantiate = typeof WebAssembly.instantiate;

/**
 * Runs `run` (a `loadPyodide` call) so that Pyodide's instantiation of its main module uses
 * `compiled` when it resolves to a `WebAssembly.Module`; otherwise Pyodide compiles as usual.
 *
 * @example
 * const pyodide = await withPrecompiledWasm(() => loadPyodide(options), {
 *   compiled: WebAssembly.compile(readFileSync(wasmPath)),
 *   byteLength: statSync(wasmPath).size,
 * });
 */
export async function withPrecompiledWasm<T>(run: () => Promise<T>, options: { compiled: Promise<unknown>; byteLength: number }): Promise<T> {
  const original: Instantiate = WebAssembly.instantiate;
  const restore = () => {
    if (WebAssembly.instantiate === wrapper) WebAssembly.instantiate = original;
  };
  const wrapper = function (source: unknown, imports?: WebAssembly.Imports) {
    if (!isMainModuleBytes(source, options.byteLength)) return original.call(WebAssembly, source as BufferSource, imports);
    restore();
    return options.compiled.then((compiled) => {
      if (!(compiled instanceof WebAssembly.Module)) return original.call(WebAssembly, source as BufferSource, imports);
      return original.call(WebAssembly, compiled, imports).then((instance) => ({ module: compiled, instance }));
    });
  } as Instantiate;
  WebAssembly.instantiate = wrapper;
  try {
    return await run();
  } finally {
    restore();
  }
}

function isMainModuleBytes(source: unknown, byteLength: number): boolean {
  return (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) && source.byteLength === byteLength;
}
