/**
 * Compiling a runtime's `pyodide.asm.wasm` on Node, with the functions a start profile names
 * compiled ahead (V8 compilation hints, see `src/runtime/wasm-compilation-hints.ts`).
 */
import { createRequire } from "node:module";
import { compilationHintsFor, withCompilationHints, type StartProfile } from "../runtime/index.js";

/**
 * Whether this Node's V8 takes compilation hints the way kiln writes them: V8 11 (Node 20), where
 * kiln's use was checked. Elsewhere kiln compiles as before (an unknown V8 flag would be reported
 * on stderr, and the experimental section may change).
 *
 * @example
 * if (startProfilesSupported()) await recordStartProfile(options);
 */
export function startProfilesSupported(): boolean {
  return /^11\./.test(process.versions.v8);
}

/**
 * Compiles `bytes`; with `profile` (and a V8 that supports it), the functions a warm start runs
 * are compiled at once, on V8's background threads, instead of one by one on the thread that
 * runs Python when it first calls them, and those a warm start tiers up are optimized at once
 * (see `compilationHintsFor`). The module behaves the same either way.
 *
 * @example
 * const module = await compileRuntimeWasm(readFileSync(wasmPath), profile);
 */
export function compileRuntimeWasm(bytes: Uint8Array<ArrayBuffer>, profile?: StartProfile): Promise<WebAssembly.Module> {
  const hinted = profile && startProfilesSupported() ? withCompilationHints(bytes, compilationHintsFor(profile)) : undefined;
  if (!hinted) return WebAssembly.compile(bytes);
  // node:v8 is loaded only here, on the thread that compiles: it costs a worker ~25 ms of Node's
  // own modules.
  const { setFlagsFromString } = createRequire(import.meta.url)("node:v8") as typeof import("node:v8");
  // V8 reads the hints only for a module compiled without lazy compilation (the hints make the
  // other functions lazy again). The flags are the process's, so lazy compilation is off only
  // while this module compiles: modules compiled later (extension modules) get V8's defaults.
  // Compiled synchronously: WebAssembly.compile's promise would also wait for the optimized code,
  // which this compile only starts (V8 finishes it in the background).
  //
  // The functions left lazy are validated when first compiled, not now (a third of this compile's
  // CPU, on the path to the first instantiation): a profile exists only for a build whose wasm a
  // whole compile has validated (the recording start's, without hints), and the build's identity
  // changes with the file. This matters because V8 11 checks, when it compiles a function lazily,
  // that a failure is possible only under lazy validation: the flag is reset after this compile
  // (extension modules are validated whole at load, as before), so an invalid lazy function
  // here would stop the process rather than throw.
  setFlagsFromString("--experimental-wasm-compilation-hints");
  setFlagsFromString("--no-wasm-lazy-compilation");
  setFlagsFromString("--wasm-lazy-validation");
  try {
    return Promise.resolve(new WebAssembly.Module(hinted));
  } catch (error) {
    return Promise.reject(error);
  } finally {
    // Every flag back as it was: V8 refuses a code cache made under other flags (see
    // node-code-cache.ts), and the CLI's is written after the command has run.
    setFlagsFromString("--no-wasm-lazy-validation");
    setFlagsFromString("--wasm-lazy-compilation");
    setFlagsFromString("--no-experimental-wasm-compilation-hints");
  }
}
