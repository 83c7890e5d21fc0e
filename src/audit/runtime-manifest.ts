import { KilnError } from "../core/index.js";
import { readWasmModule, type WasmModule } from "../wasm/index.js";
import { readLoaderSymbols } from "./loader-symbols.js";

/** How a runtime (or a module) unwinds for C++ exceptions and for setjmp/longjmp. */
export type UnwindingMode = "javascript" | "wasm" | "none";

/** ABI features of a runtime's main module that side modules must match. */
export interface RuntimeFeatures {
  /** C++ exceptions: JavaScript (`invoke_*` trampolines) or WebAssembly tags. */
  exceptions: UnwindingMode;
  /** Which encoding the main module's own code uses for WebAssembly exceptions. */
  exceptionEncoding: "legacy" | "exnref" | "none";
  /** setjmp/longjmp: JavaScript (`emscripten_longjmp`) or the `__c_longjmp` tag. */
  longjmp: UnwindingMode;
  /** JavaScript functions pass i64 as BigInt (Emscripten's WASM_BIGINT). */
  bigint: boolean;
  /** The memory is shared (pthreads). */
  sharedMemory: boolean;
  /** The memory is 64-bit. */
  memory64: boolean;
  /** The main module itself uses SIMD instructions. */
  simd: boolean;
}

/**
 * Everything a side module can link against in one runtime, computed from the runtime package
 * itself: the main module's exports and the loader's JavaScript library. Never hand-written.
 */
export interface RuntimeManifest {
  schema: 1;
  name: string;
  version: string;
  /** From `pyodide-lock.json`, when the package has one. */
  python?: string;
  abiVersion?: string;
  /** `emscripten_5_0_3` from the lock file. */
  platform?: string;
  /** sha256 (hex) of the main module the manifest was computed from. */
  mainModuleSha256: string;
  /** Functions side modules can import from `env`/`wasi_snapshot_preview1`. */
  functions: string[];
  /** Data symbols (`GOT.mem`): globals the main module exports. */
  data: string[];
  /** Exception tags the runtime offers. */
  tags: string[];
  /** Globals the JavaScript side creates and offers to `env` imports, such as `__stack_pointer` before 314. */
  globals: string[];
  /** Names the JavaScript library provides (a subset of `functions`, `tags` and `globals`). */
  javascript: string[];
  /** Symbol prefixes the loader synthesises on demand (`invoke_`). */
  dynamicPrefixes: string[];
  features: RuntimeFeatures;
  /** Shared-library packages of the runtime's own distribution (`pyodide-lock.json`, `package_type: shared_library`). */
  sharedLibraries: string[];
}

/** The files of a runtime package that a manifest is computed from. */
export interface RuntimePackageFiles {
  name: string;
  version: string;
  mainModule: Uint8Array;
  /** Text of `pyodide.asm.mjs` (314+) or `pyodide.asm.js` (older). */
  loader: string;
  /** Parsed `pyodide-lock.json`, if present. */
  lock?: unknown;
}

/**
 * Computes a runtime's manifest from its package files. Reads the main module's exports and
 * imports (what the JavaScript side gives it, it also gives side modules), scans its code for
 * the exception encoding, and reads the loader's `wasmImports` keys.
 *
 * @example
 * const manifest = await computeRuntimeManifest({ name: "pyodide", version: "314.0.7", mainModule, loader, lock });
 * manifest.functions.includes("PyModule_Create2"); // true
 */
export async function computeRuntimeManifest(files: RuntimePackageFiles): Promise<RuntimeManifest> {
  const main = readWasmModule(files.mainModule, { source: `${files.name}@${files.version} main module` });
  const loader = readLoaderSymbols(files.loader);
  if (loader.javascript.length === 0) {
    throw new KilnError("auditRuntime", `Cannot read the JavaScript library of ${files.name}@${files.version}: no wasmImports object in its loader script`, {
      hint: "kiln understands Emscripten loaders from 3.1 on; point --runtime at a Pyodide package directory",
    });
  }
  const exported = (kind: string) => main.exports().filter((e) => e.kind === kind).map((e) => e.name);
  const importedFromJs = (kind: string) => main.imports().filter((i) => i.kind === kind && i.module !== "GOT.mem" && i.module !== "GOT.func").map((i) => i.name);
  const jsOnly = new Set([...importedFromJs("tag"), ...importedFromJs("global"), ...importedFromJs("memory"), ...importedFromJs("table")]);
  const tags = unique([...exported("tag"), ...importedFromJs("tag")]);
  const lock = lockInfo(files.lock);
  return {
    schema: 1,
    name: files.name,
    version: files.version,
    ...lock.info,
    mainModuleSha256: await sha256Hex(files.mainModule),
    functions: unique([...exported("function"), ...loader.javascript.filter((n) => !jsOnly.has(n))]),
    data: unique(exported("global")),
    tags,
    globals: unique(importedFromJs("global")),
    javascript: loader.javascript,
    dynamicPrefixes: loader.dynamicPrefixes,
    features: runtimeFeatures(main, tags, loader.javascript),
    sharedLibraries: lock.sharedLibraries,
  };
}

function runtimeFeatures(main: WasmModule, tags: string[], javascript: string[]): RuntimeFeatures {
  const code = main.codeFeatures();
  const js = new Set(javascript);
  const memory = main.memories()[0] ?? main.imports().flatMap((i) => (i.kind === "memory" ? [i.limits] : []))[0];
  const jsFunctionImports = main.imports().filter((i) => i.kind === "function" && i.module !== "GOT.func");
  return {
    exceptions: tags.includes("__cpp_exception") ? "wasm" : [...js].some((n) => n.startsWith("invoke_")) ? "javascript" : "none",
    exceptionEncoding: code.exnrefExceptions ? "exnref" : code.legacyExceptions ? "legacy" : "none",
    longjmp: tags.includes("__c_longjmp") ? "wasm" : js.has("emscripten_longjmp") || js.has("_emscripten_throw_longjmp") ? "javascript" : "none",
    bigint: jsFunctionImports.some((i) => i.kind === "function" && (main.typeAt(i.typeIndex)?.params.includes("i64") ?? false)),
    sharedMemory: memory?.shared ?? false,
    memory64: memory?.index64 ?? false,
    simd: code.simd,
  };
}

function lockInfo(lock: unknown): { info: Partial<Pick<RuntimeManifest, "python" | "abiVersion" | "platform">>; sharedLibraries: string[] } {
  const record = (value: unknown) => (typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {});
  const info = record(record(lock).info);
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  const packages = Object.entries(record(record(lock).packages));
  return {
    info: Object.fromEntries(
      Object.entries({ python: text(info.python), abiVersion: text(info.abi_version), platform: text(info.platform) }).filter(([, v]) => v !== undefined),
    ),
    sharedLibraries: packages.filter(([, p]) => record(p).package_type === "shared_library").map(([name]) => name).sort(),
  };
}

function unique(names: string[]): string[] {
  return [...new Set(names)].sort();
}

/** Lower-case hex sha256 of bytes. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
