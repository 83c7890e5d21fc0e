import type { WasmModule } from "../wasm/index.js";
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
  const names = new Set(imports.map((i) => i.name));
  const tags = new Set(imports.filter((i) => i.kind === "tag").map((i) => i.name));
  const functionNames = imports.filter((i) => i.kind === "function").map((i) => i.name);
  const code = module.codeFeatures();
  const memory = imports.flatMap((i) => (i.kind === "memory" ? [i.limits] : []))[0] ?? module.memories()[0];
  const jsExceptions = functionNames.some((n) => n.startsWith("__cxa_find_matching_catch_") || n === "__resumeException");
  const jsLongjmp = names.has("emscripten_longjmp") || names.has("_emscripten_throw_longjmp");
  return {
    exceptions: tags.has("__cpp_exception") ? "wasm" : jsExceptions ? "javascript" : "none",
    exceptionEncoding: code.exnrefExceptions ? "exnref" : code.legacyExceptions ? "legacy" : "none",
    longjmp: tags.has("__c_longjmp") ? "wasm" : jsLongjmp ? "javascript" : "none",
    invokeTrampolines: functionNames.some((n) => n.startsWith("invoke_")),
    bigint: imports.some((i) => i.kind === "function" && signatureHasI64(module, i.typeIndex)),
    sharedMemory: memory?.shared ?? false,
    memory64: memory?.index64 ?? false,
    simd: code.simd,
    atomics: code.atomics,
  };
}

function signatureHasI64(module: WasmModule, typeIndex: number): boolean {
  const type = module.typeAt(typeIndex);
  return type !== undefined && (type.params.includes("i64") || type.results.includes("i64"));
}
