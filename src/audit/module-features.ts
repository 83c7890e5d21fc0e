import type { Limits, WasmModule } from "../wasm/index.js";
import type { UnwindingMode } from "./runtime-manifest.js";

/** The ABI choices a side module was built with, read from its imports and code. */
export interface ModuleFeatures {
  exceptions: UnwindingMode;
  /** Encoding of WebAssembly exception instructions in its code. */
  exceptionEncoding: "legacy" | "exnref" | "none";
  longjmp: UnwindingMode;
  /** Imports `invoke_*` trampolines (JavaScript exceptions or longjmp). */
  invokeTrampolines: boolean;
  /** Passes i64 across imports (needs BigInt integration when the import is JavaScript). */
  bigint: boolean;
  sharedMemory: boolean;
  memory64: boolean;
  simd: boolean;
  atomics: boolean;
}

/**
 * Reads a module's ABI choices: unwinding from the tags and helpers it imports, the exception
 * encoding, SIMD and atomics from an opcode scan, memory flags from its memory import.
 *
 * @example
 * moduleFeatures(module).exceptions; // "wasm"
 */
export function moduleFeatures(module: WasmModule): ModuleFeatures {
  const imports = module.imports();
  const code = module.codeFeatures();
  // One pass over the imports (tens of thousands in a large module), each signature looked at once.
  const hasI64 = module.types().map((type) => type.params.includes("i64") || type.results.includes("i64"));
  let wasmExceptions = false, wasmLongjmp = false, jsExceptions = false, jsLongjmp = false, invoke = false, bigint = false;
  let memory: Limits | undefined;
  for (let index = 0; index < imports.length; index++) {
    const entry = imports[index]!;
    const name = entry.name;
    if (name === "emscripten_longjmp" || name === "_emscripten_throw_longjmp") jsLongjmp = true;
    if (entry.kind === "tag") {
      if (name === "__cpp_exception") wasmExceptions = true;
      else if (name === "__c_longjmp") wasmLongjmp = true;
    } else if (entry.kind === "function") {
      if (name.startsWith("__cxa_find_matching_catch_") || name === "__resumeException") jsExceptions = true;
      if (name.startsWith("invoke_")) invoke = true;
      if (hasI64[entry.typeIndex] === true) bigint = true;
    } else if (entry.kind === "memory") memory ??= entry.limits;
  }
  memory ??= module.memories()[0];
  return {
    exceptions: wasmExceptions ? "wasm" : jsExceptions ? "javascript" : "none",
    exceptionEncoding: code.exnrefExceptions ? "exnref" : code.legacyExceptions ? "legacy" : "none",
    longjmp: wasmLongjmp ? "wasm" : jsLongjmp ? "javascript" : "none",
    invokeTrampolines: invoke,
    bigint,
    sharedMemory: memory?.shared ?? false,
    memory64: memory?.index64 ?? false,
    simd: code.simd,
    atomics: code.atomics,
  };
}
