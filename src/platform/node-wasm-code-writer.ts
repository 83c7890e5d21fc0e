/**
 * The child process that writes a runtime's cached wasm code (see `writeWasmCode`): reads its
 * request as JSON on stdin, compiles and stores. Kept apart because V8 aborts the process when a
 * serialization fails.
 */
import { readFileSync } from "node:fs";
import { compileAndStoreWasmCode, type WasmCodeRequest } from "./node-wasm-code-cache.js";

const request = JSON.parse(readFileSync(0, "utf8")) as WasmCodeRequest;
await compileAndStoreWasmCode(request, readFileSync(request.wasmPath));
