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
 *
 * Pyodide also reads the whole file (9.6 MB for Pyodide 314) to hand it to `instantiate`, on the
 * thread that runs Python, through `fs/promises` in 512 KiB steps that each wait for that
 * thread's event loop while it runs Pyodide's set-up: measured, the module was asked for 100-150
 * ms after the read began. Given the file's `path`, `fs/promises`' `readFile` is wrapped the same
 * way: the one read of that path gets, once the compiled module is there, zeros of the file's
 * size instead (which the instantiate wrapper recognizes by their size); without a compiled
 * module, the file itself.
 */
import { syncBuiltinESMExports } from "node:module";
import { resolve } from "node:path";
import * as fsPromises from "node:fs/promises";

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
export async function withPrecompiledWasm<T>(run: () => Promise<T>, options: { compiled: Promise<unknown>; byteLength: number; path?: string }): Promise<T> {
  const restoreRead = options.path ? skipMainModuleRead({ ...options, path: options.path }) : () => undefined;
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
    restoreRead();
  }
}

type ReadFile = typeof fsPromises.readFile;

/** Wraps `fs/promises`' `readFile` for the one read of `path` (see the file's comment); returns what removes the wrapper. */
function skipMainModuleRead(options: { compiled: Promise<unknown>; byteLength: number; path: string }): () => void {
  return interceptReadFile(options.path, (read) =>
    options.compiled.then((compiled) => (compiled instanceof WebAssembly.Module ? Buffer.alloc(options.byteLength) : read())),
  );
}

/**
 * Until the returned function is called, the next `fs/promises` `readFile` of `path` (by Pyodide,
 * which imports that module) gets what `answer` gives instead, `read` reading the file as asked;
 * every other read goes through unchanged. Several paths may be intercepted at once; the wrapper
 * is removed once none is.
 *
 * @example
 * const restore = interceptReadFile(stdlibPath, async () => Buffer.alloc(0));
 * try { await loadPyodide(options); } finally { restore(); }
 */
export function interceptReadFile(path: string, answer: ReadAnswer): () => void {
  const target = resolve(path);
  intercepted.set(target, answer);
  if (!installReadWrapper()) {
    intercepted.delete(target);
    return () => undefined;
  }
  return () => {
    if (intercepted.get(target) === answer) intercepted.delete(target);
    removeReadWrapperWhenIdle();
  };
}

type ReadAnswer = (read: () => Promise<Buffer>) => Promise<Buffer>;

// The CommonJS exports object, which the ES module namespace that Pyodide imported mirrors once synced.
const promises = (fsPromises as unknown as { default?: typeof fsPromises }).default ?? fsPromises;
const intercepted = new Map<string, ReadAnswer>();
let originalReadFile: ReadFile | undefined;

const readWrapper = function (this: unknown, ...args: Parameters<ReadFile>) {
  const original = originalReadFile ?? promises.readFile;
  const [file] = args;
  const target = typeof file === "string" ? resolve(file) : undefined;
  const answer = target === undefined ? undefined : intercepted.get(target);
  if (!answer) return original.apply(this, args);
  intercepted.delete(target!);
  removeReadWrapperWhenIdle();
  return answer(() => original.apply(this, args) as Promise<Buffer>);
} as ReadFile;

function installReadWrapper(): boolean {
  if (promises.readFile === readWrapper) return true;
  try {
    originalReadFile = promises.readFile;
    (promises as { readFile: ReadFile }).readFile = readWrapper;
    syncBuiltinESMExports();
    return true;
  } catch {
    originalReadFile = undefined;
    return false;
  }
}

function removeReadWrapperWhenIdle(): void {
  if (intercepted.size > 0 || promises.readFile !== readWrapper || !originalReadFile) return;
  (promises as { readFile: ReadFile }).readFile = originalReadFile;
  originalReadFile = undefined;
  syncBuiltinESMExports();
}

function isMainModuleBytes(source: unknown, byteLength: number): boolean {
  return (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) && source.byteLength === byteLength;
}
