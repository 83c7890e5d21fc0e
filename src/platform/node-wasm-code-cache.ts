/**
 * V8's compiled code of a runtime's `pyodide.asm.wasm`, kept between processes: what Chrome does
 * for a site's wasm and Node 20 offers no API for. Every start otherwise compiles the functions a
 * warm start runs (~1,150 of 17,000, eagerly with Liftoff from the start profile) and optimizes
 * the hottest with TurboFan in the background: CPython's interpreter loop alone is ~100 ms of
 * TurboFan, which even `-c pass` needs and the exit waits for. Measured same-run on the
 * development machine: a warm `kiln run -c pass` 550 → 370 ms of CPU, 345 → 265 ms wall.
 *
 * After a start profile is recorded, a child process compiles the module with every function the
 * profile names optimized at once ({@link optimizedCompilationHintsFor}), and has V8 serialize
 * it (V8 serializes optimized code only); later starts deserialize it instead of compiling.
 * Node 20 exposes V8's wasm serializer only as the test intrinsics `%SerializeWasmModule` and
 * `%DeserializeWasmModule`, reached by compiling one small function with `--allow-natives-syntax`
 * set just for that compile. Serializing aborts the process when the module has no optimized
 * code, so it runs only in that child; deserializing returns undefined for data V8 refuses
 * (another V8 version, other flags or CPU features) and the start compiles as before.
 *
 * The file is a snapshot file (see `encodeSnapshotFile`): its key names the build, the profile,
 * V8's version and the format, and its checksum is verified before V8 sees the data. A file kiln
 * refuses is removed (and written again after the run); an empty payload records that writing
 * failed, so that it is not retried on every run. What the code runs on, the wasm's own bytes, is
 * the runtime's file, identified like everything kiln derives from a build (size and modification
 * time): the lazily compiled functions of a deserialized module are validated when compiled, as
 * with the start profile's compile (see `compileRuntimeWasm`), and the module was validated whole
 * when the cache was written. V8 11 (Node 20) only, where this was checked; `KILN_WASM_CODE_CACHE=off`
 * or `KILN_START_PROFILE=off` turns it off.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { crc32 } from "node:zlib";
import { decodeSnapshotFile, encodeSnapshotFile, optimizedCompilationHintsFor, startProfileDigest, withCompilationHints, type StartProfile } from "../runtime/index.js";
import { kilnCacheFolders } from "./kiln-cache-folders.js";
import { readHintedWasm } from "./node-hinted-wasm.js";
import { DirectoryBlobStore } from "./node-blob-store.js";
import { startProfilesSupported } from "./node-wasm-compile.js";

/** The format of what is stored; part of every key. */
const wasmCodeFormat = 1;

/** What {@link loadWasmCode} found. */
export type WasmCodeOutcome = "used" | "missing" | "unavailable" | "refused" | "refused-by-v8";

/**
 * Whether to use (and write) the cache: on V8 11, unless `KILN_WASM_CODE_CACHE=off`.
 *
 * @example
 * if (wasmCodeCacheWanted(env)) module = loadWasmCode({ cacheDir, wasm, profile }).module;
 */
export function wasmCodeCacheWanted(env: Record<string, string | undefined>): boolean {
  return startProfilesSupported() && env.KILN_WASM_CODE_CACHE !== "off";
}

/**
 * The file name of a build's cached code in `<cache>/wasm-code/`, for this Node, architecture and
 * the V8 flags this process was started with (V8 refuses code compiled under other flags).
 *
 * @example
 * wasmCodeName(profile.buildIdentity); // "code-0a1b2c3d4e5f6071"
 */
export function wasmCodeName(identity: string, env: Record<string, string | undefined> = process.env): string {
  const digest = createHash("sha256")
    .update([wasmCodeFormat, identity, process.version, process.arch, process.execArgv.join(" "), env.NODE_OPTIONS ?? ""].join("\0"))
    .digest("hex");
  return `code-${digest.slice(0, 16)}`;
}

/** Whether a build has its cached code (or the record that writing it failed) in `cacheDir`. */
export function hasWasmCode(cacheDir: string, identity: string): boolean {
  return existsSync(join(cacheDir, kilnCacheFolders.wasmCode, wasmCodeName(identity)));
}

// The modules this thread loaded from the cache (see {@link isFromWasmCodeCache}).
const loaded = new WeakSet<object>();

/**
 * Whether `module` was loaded from the cache by this thread (for KILN_DEBUG's report).
 *
 * @example
 * if (isFromWasmCodeCache(module)) reporter.debug("from the cache");
 */
export function isFromWasmCodeCache(module: unknown): boolean {
  return typeof module === "object" && module !== null && loaded.has(module);
}

function wasmCodeKey(profile: StartProfile): string {
  return `wasm-code ${wasmCodeFormat}|${process.versions.v8}|${startProfileDigest(profile)}|${profile.buildIdentity}`;
}

function store(cacheDir: string): DirectoryBlobStore {
  return new DirectoryBlobStore(join(cacheDir, kilnCacheFolders.wasmCode));
}

/**
 * The module `wasm` (its bytes, or the file it is in) compiled under `profile`, from the cache in
 * `cacheDir` when it holds one V8 accepts; else no module, and why. A file is read only when the
 * cache holds code for it, once, with the hints section laid out as it is read (see
 * {@link readHintedWasm}).
 *
 * @example
 * const { module } = await loadWasmCode({ cacheDir, wasm: { path: wasmPath }, profile });
 */
export async function loadWasmCode(options: { cacheDir: string; wasm: Uint8Array | { path: string }; profile: StartProfile }): Promise<{ module?: WebAssembly.Module; outcome: WasmCodeOutcome }> {
  const name = wasmCodeName(options.profile.buildIdentity);
  const blobs = store(options.cacheDir);
  const file = await blobs.read(name);
  if (!file) return { outcome: "missing" };
  const decoded = decodeSnapshotFile(file, { key: wasmCodeKey(options.profile), checksum: crc32 });
  if (!decoded.ok) {
    await blobs.remove(name).catch(() => undefined);
    return { outcome: "refused" };
  }
  if (decoded.payload.length === 0) return { outcome: "unavailable" };
  const hints = optimizedCompilationHintsFor(options.profile);
  const wasm = options.wasm;
  const wire = wasm instanceof Uint8Array ? withCompilationHints(wasm, hints) : readHintedWasm(wasm.path, hints);
  const module = wire && deserializeWasmModule(decoded.payload, wire);
  if (!module) return { outcome: "refused-by-v8" };
  loaded.add(module);
  return { module, outcome: "used" };
}

/**
 * Compiles `wasm` as the cache keeps it and stores V8's serialized code, in a child process (V8
 * aborts a process whose serialization fails). When the child fails, an empty entry records it.
 * Resolves to whether code was stored; never rejects.
 *
 * @example
 * if (!hasWasmCode(cacheDir, identity)) await writeWasmCode({ cacheDir, wasmPath, profile });
 */
export async function writeWasmCode(options: { cacheDir: string; wasmPath: string; profile: StartProfile; env: Record<string, string>; timeoutMs?: number }): Promise<boolean> {
  const request: WasmCodeRequest = { cacheDir: options.cacheDir, wasmPath: options.wasmPath, profile: options.profile };
  const writer = fileURLToPath(new URL("./node-wasm-code-writer.js", import.meta.url));
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, writer], { env: options.env, stdio: ["pipe", "ignore", "ignore"], timeout: options.timeoutMs ?? 60_000 });
    child.once("error", () => resolve(null));
    child.once("close", (status) => resolve(status));
    child.stdin!.end(JSON.stringify(request));
  });
  if (code === 0 && hasWasmCode(options.cacheDir, options.profile.buildIdentity)) return true;
  await store(options.cacheDir)
    .write(wasmCodeName(options.profile.buildIdentity), encodeSnapshotFile(new Uint8Array(), { key: wasmCodeKey(options.profile), checksum: crc32 }))
    .catch(() => undefined);
  return false;
}

/** What the writer child is asked to compile and store. */
export interface WasmCodeRequest {
  cacheDir: string;
  wasmPath: string;
  profile: StartProfile;
}

/**
 * The writer child's work (see `node-wasm-code-writer.ts`): compiles, serializes, stores.
 *
 * @example
 * await compileAndStoreWasmCode(JSON.parse(stdin) as WasmCodeRequest, readFileSync(request.wasmPath));
 */
export async function compileAndStoreWasmCode(request: WasmCodeRequest, wasm: Uint8Array): Promise<void> {
  const hinted = withCompilationHints(wasm, optimizedCompilationHintsFor(request.profile));
  if (!hinted) throw new Error("Cannot add compilation hints to the runtime's wasm");
  const { setFlagsFromString } = v8Module();
  // Hints are read only for a module compiled without lazy compilation; WebAssembly.compile's
  // promise settles once the optimized code is there. Every function is validated (no lazy
  // validation): the cache is written only for a module V8 accepted whole.
  setFlagsFromString("--experimental-wasm-compilation-hints");
  setFlagsFromString("--no-wasm-lazy-compilation");
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(hinted);
  } finally {
    // V8 stamps serialized code with its flags: those of a start, which sets none of these.
    setFlagsFromString("--wasm-lazy-compilation");
    setFlagsFromString("--no-experimental-wasm-compilation-hints");
  }
  const data = serializeWasmModule(module);
  await store(request.cacheDir).write(wasmCodeName(request.profile.buildIdentity), encodeSnapshotFile(new Uint8Array(data), { key: wasmCodeKey(request.profile), checksum: crc32 }));
}

/**
 * The module V8 builds from its serialized code `data` and the `wire` bytes it was compiled from,
 * or undefined when V8 refuses the data (another V8 version, other flags or CPU features). V8
 * checks neither that `wire` are those bytes nor that `data` is intact: the caller must.
 *
 * @example
 * const module = deserializeWasmModule(decoded.payload, wire);
 */
export function deserializeWasmModule(data: Uint8Array, wire: Uint8Array): WebAssembly.Module | undefined {
  // The intrinsic takes an ArrayBuffer of exactly the data (decodeSnapshotFile's payload is one).
  const buffer = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer ? data.buffer : data.slice().buffer;
  try {
    const module = wasmIntrinsics().deserialize(buffer, wire);
    return module instanceof WebAssembly.Module ? module : undefined;
  } catch {
    return undefined;
  }
}

/**
 * V8's serialized form of `module`'s optimized code. V8 aborts the process (it does not throw)
 * when the module has no optimized code: call it only in a process that may die, on a module
 * compiled with optimized functions (see `compileAndStoreWasmCode`).
 *
 * @example
 * const data = serializeWasmModule(await WebAssembly.compile(hinted)); // in a writer child
 */
export function serializeWasmModule(module: WebAssembly.Module): ArrayBuffer {
  return wasmIntrinsics().serialize(module);
}

/**
 * V8's test intrinsics kiln uses on wasm: a module's serialization and deserialization, and one
 * exported function's tier-up and whether it is optimized (the extension-module cache makes sure
 * a module has optimized code before serializing it). Checked on V8 11 (Node 20) only: later
 * versions change their arguments, so callers gate on the version.
 */
export interface WasmIntrinsics {
  serialize(module: WebAssembly.Module): ArrayBuffer;
  deserialize(data: ArrayBuffer, wire: Uint8Array): unknown;
  tierUp(fn: unknown): void;
  isOptimized(fn: unknown): boolean;
}

let intrinsics: WasmIntrinsics | undefined;

/**
 * The {@link WasmIntrinsics}, compiled once per thread with natives syntax on only while they are
 * compiled (V8 stamps serialized code with the flags in force when it serializes: those must be
 * a start's).
 *
 * @example
 * const { tierUp, isOptimized } = wasmIntrinsics();
 */
export function wasmIntrinsics(): WasmIntrinsics {
  if (intrinsics) return intrinsics;
  const { setFlagsFromString } = v8Module();
  setFlagsFromString("--allow-natives-syntax");
  try {
    intrinsics = {
      serialize: new Function("module", "return %SerializeWasmModule(module);") as WasmIntrinsics["serialize"],
      deserialize: new Function("data", "wire", "return %DeserializeWasmModule(data, wire);") as WasmIntrinsics["deserialize"],
      tierUp: new Function("fn", "%WasmTierUpFunction(fn);") as WasmIntrinsics["tierUp"],
      isOptimized: new Function("fn", "return %IsTurboFanFunction(fn);") as WasmIntrinsics["isOptimized"],
    };
  } finally {
    setFlagsFromString("--no-allow-natives-syntax");
  }
  return intrinsics;
}

/** node:v8, loaded only where it is used (it costs a worker thread Node modules of its own). */
function v8Module(): typeof import("node:v8") {
  return createRequire(import.meta.url)("node:v8") as typeof import("node:v8");
}
