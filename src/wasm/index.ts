/**
 * Reading WebAssembly binaries: sections, imports, exports and Emscripten's `dylink.0`
 * (https://github.com/WebAssembly/tool-conventions/blob/main/DynamicLinking.md).
 */
export {};
