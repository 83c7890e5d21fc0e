/**
 * Reading WebAssembly binaries: sections, imports, exports and Emscripten's `dylink.0`
 * (https://github.com/WebAssembly/tool-conventions/blob/main/DynamicLinking.md).
 *
 * Quirks worth knowing: an Emscripten side module must have `dylink.0` as its very first
 * section (the loader reads it before anything else); the legacy `dylink` section predates
 * Emscripten 2.0.17 and carries only memory info and NEEDED; addresses in `EM_JS`/`EM_ASM`
 * exports are relative to the module's `__memory_base`; the exception-handling proposal has two
 * encodings (legacy `try`/`catch`/`delegate` and `exnref` `try_table`), told apart only by
 * decoding code.
 */
export { ByteReader } from "./byte-reader.js";
export { WasmFormatError } from "./wasm-format-error.js";
export { readWasmModule, isWasm, WasmModule, type ReadWasmOptions } from "./wasm-module.js";
export { decodeDylink0, decodeLegacyDylink, symbolFlags, type DylinkInfo } from "./decode-dylink.js";
export { decodeProducers, decodeTargetFeatures, type Producers, type TargetFeature } from "./decode-custom.js";
export type { FunctionBody } from "./decode-sections.js";
export { scanCode, type CodeFeatures } from "./scan-code.js";
export { extractEmbeddedJavaScript, exportedGlobalValue, type EmbeddedJavaScript } from "./embedded-javascript.js";
export type * from "./wasm-types.js";
