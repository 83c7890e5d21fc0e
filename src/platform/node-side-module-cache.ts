/**
 * V8's compiled code of Python extension modules (Emscripten side modules, `*.so`), kept between
 * processes, as Chrome keeps a site's: Emscripten's dynamic linker compiles each one at every
 * import of every process (pydantic-core's 4.7 MB module is decoded and validated, each function
 * it runs is compiled on first call, on the thread that runs Python, and V8 optimizes the hot ones
 * in the background, again in every `kiln test` or `kiln run`).
 *
 * The glue hands kiln each module's bytes and, once instantiated, the module (see
 * `patchSideModuleCompile`). kiln looks for V8's code of exactly those bytes (keyed by their
 * sha256, and by Node, V8 and the flags Node was started with); when there is some, the module is
 * built from it, and the functions that were hot arrive optimized. As it exits, a process keeps
 * what V8 optimized while it ran: always when there was no entry, else when that is a quarter
 * more than the module was built from (the entry gathers what the workloads importing the module
 * run hot; how much V8 has optimized by the exit depends on the run and the load). V8 serializes
 * optimized code only, and aborts the process (it does not throw) when a module has none, so one
 * small function the linker generated (`__wasm_call_ctors`) is optimized first. Small modules
 * (compiled in a few milliseconds) are left alone.
 *
 * The stored file is a snapshot file (`encodeSnapshotFile`): its key and checksum are checked
 * before V8 sees the code. A damaged or foreign entry is removed and written again; code V8
 * refuses (another CPU: the key fixes the rest) is replaced by an empty entry, which stops further
 * attempts. Nothing here ever fails an import: the glue then compiles as it always does.
 * `KILN_WASM_CODE_CACHE=off` turns it off with the runtime's.
 */
import { createHash } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { decodeSnapshotFile, encodeSnapshotFile } from "../runtime/index.js";
import { kilnCacheFolders } from "./kiln-cache-folders.js";
import { deserializeWasmModule, wasmCodeCacheWanted, wasmIntrinsics } from "./node-wasm-code-cache.js";

/** The format of what is stored; part of every key. */
const sideModuleFormat = 1;
/** Modules smaller than this compile in a few milliseconds: not worth a cache entry. */
const defaultMinimumBytes = 256 * 1024;
/** A module built from cached code is kept again when its optimized code has grown by this factor. */
const growth = 1.25;
/** The linker's own functions, defined in every side module (never an import), one of which is optimized before serializing. */
const linkerFunctions = ["__wasm_call_ctors", "__wasm_apply_data_relocs"];

/** What {@link SideModuleCache.compile} did with a module (`KILN_DEBUG=1` prints it). */
export type SideModuleOutcome = "used" | "missing" | "unavailable" | "refused" | "refused-by-v8" | "too-small";

/** A module this process loaded, what to store its code under, and how much code it was built from (0: none). */
interface Tracked {
  key: string;
  path: string;
  cachedCode: number;
  module?: WebAssembly.Module;
  instance?: WebAssembly.Instance;
}

/**
 * The glue's hooks for one Python process (`Module.kilnCompileSideModule` is {@link compile},
 * `Module.kilnSideModuleInstantiated` is {@link instantiated}).
 *
 * @example
 * const cache = new SideModuleCache({ cacheDir, env });
 * settings.kilnCompileSideModule = (bytes, libName) => cache.compile(bytes, libName);
 * settings.kilnSideModuleInstantiated = (module, instance, libName) => cache.instantiated(module, instance, libName);
 */
export class SideModuleCache {
  readonly directory: string;
  readonly env: Record<string, string | undefined>;
  /** Modules smaller than this are left alone. */
  readonly minimumBytes: number;
  /** Large modules this process loaded (from cached code or not), by library path. */
  readonly #tracked = new Map<string, Tracked>();
  #exitHook = false;

  constructor(options: { cacheDir: string; env: Record<string, string | undefined>; minimumBytes?: number }) {
    this.directory = join(options.cacheDir, kilnCacheFolders.sideModuleCode);
    this.env = options.env;
    this.minimumBytes = options.minimumBytes ?? defaultMinimumBytes;
  }

  /** The module for `bytes` built from cached code, or undefined (then the glue compiles it). */
  compile(bytes: Uint8Array, libName: string): WebAssembly.Module | undefined {
    if (!wasmCodeCacheWanted(this.env)) return undefined;
    const { module, outcome } = this.#load(bytes, libName);
    if (this.env.KILN_DEBUG) writeSync(2, `kiln debug: extension module ${libName}: ${outcome === "used" ? "V8's compiled code from the cache" : `compiled (cached code ${outcome})`}\n`);
    return module;
  }

  /** Told of each instance: a large module's optimized code is kept at exit when it has grown. */
  instantiated(module: WebAssembly.Module, instance: WebAssembly.Instance, libName: string): void {
    const tracked = this.#tracked.get(libName);
    if (!tracked || tracked.module) return;
    tracked.module = module;
    tracked.instance = instance;
  }

  /**
   * Stores the optimized code of each large module this process loaded: always for one compiled
   * without cached code, and for one built from cached code when it has a quarter more (it keeps
   * that code and adds what this process optimized, so that the entry gathers what the workloads
   * that import the module run hot). Returns the paths written. Never throws.
   */
  keepOptimizedCode(): string[] {
    const written: string[] = [];
    for (const [libName, tracked] of this.#tracked) {
      try {
        const started = performance.now();
        const data = tracked.module && tracked.instance && optimizedCode(tracked.module, tracked.instance);
        const kept = data !== undefined && (tracked.cachedCode === 0 || data.byteLength > tracked.cachedCode * growth);
        if (kept) writeEntry(tracked.path, encodeSnapshotFile(new Uint8Array(data), { key: tracked.key, checksum: crc32 }));
        if (kept) written.push(tracked.path);
        if (this.env.KILN_DEBUG) {
          const what = kept ? `kept ${data.byteLength} bytes of V8's optimized code` : `${data?.byteLength ?? 0} bytes of optimized code, not kept`;
          writeSync(2, `kiln debug: extension module ${libName}: ${what} (${(performance.now() - started).toFixed(1)} ms)\n`);
        }
      } catch {
        // Only a later start's compile is at stake.
      }
    }
    this.#tracked.clear();
    pending.delete(this);
    return written;
  }

  #load(bytes: Uint8Array, libName: string): { module?: WebAssembly.Module; outcome: SideModuleOutcome } {
    if (bytes.length < this.minimumBytes) return { outcome: "too-small" };
    const key = sideModuleKey(createHash("sha256").update(bytes).digest("hex"));
    const path = join(this.directory, sideModuleEntryName(key));
    let file: Uint8Array;
    try {
      file = readFileSync(path);
    } catch {
      this.#track(libName, { key, path, cachedCode: 0 });
      return { outcome: "missing" };
    }
    const decoded = decodeSnapshotFile(file, { key, checksum: crc32 });
    if (!decoded.ok) {
      rmSync(path, { force: true });
      this.#track(libName, { key, path, cachedCode: 0 });
      return { outcome: "refused" };
    }
    if (decoded.payload.length === 0) return { outcome: "unavailable" };
    const module = deserializeWasmModule(decoded.payload, bytes);
    if (!module) {
      writeEntry(path, encodeSnapshotFile(new Uint8Array(), { key, checksum: crc32 }));
      return { outcome: "refused-by-v8" };
    }
    this.#track(libName, { key, path, cachedCode: decoded.payload.length });
    return { module, outcome: "used" };
  }

  #track(libName: string, tracked: Tracked): void {
    this.#tracked.set(libName, tracked);
    pending.add(this);
    if (this.#exitHook) return;
    this.#exitHook = true;
    // At exit: what V8 optimized while Python ran is there, and the run itself is over.
    process.once("exit", () => this.keepOptimizedCode());
  }
}

// The caches of this thread with modules to keep.
const pending = new Set<SideModuleCache>();

/**
 * Keeps now what {@link SideModuleCache.keepOptimizedCode} would keep at exit, for every cache of
 * this thread: for a worker thread that the process ends without letting it exit (the Python
 * worker, once Python has finished).
 *
 * @example
 * keepPendingSideModuleCode(); // Python has finished; the main thread will end the process
 */
export function keepPendingSideModuleCode(): void {
  for (const cache of pending) cache.keepOptimizedCode();
}

/**
 * The key of a module's cached code: its bytes' sha256, and what V8 checks (its version, Node's,
 * the architecture, the flags Node was started with).
 *
 * @example
 * sideModuleKey(createHash("sha256").update(bytes).digest("hex"));
 */
export function sideModuleKey(sha256: string): string {
  return ["side-module", sideModuleFormat, process.versions.v8, process.version, process.arch, process.execArgv.join(" "), process.env.NODE_OPTIONS ?? "", sha256].join("|");
}

/**
 * The file name of a key's entry in `<cache>/side-module-code/`.
 *
 * @example
 * sideModuleEntryName(sideModuleKey(sha256)); // "side-0a1b2c3d4e5f60718293a4b5"
 */
export function sideModuleEntryName(key: string): string {
  return `side-${createHash("sha256").update(key).digest("hex").slice(0, 24)}`;
}

/**
 * V8's serialized optimized code of `module`, after optimizing one of the linker's functions of
 * `instance` so that there is some (else V8 would abort the process); undefined when the module
 * has none of them, V8 does not report the function optimized, or a debugger may be attached.
 */
function optimizedCode(module: WebAssembly.Module, instance: WebAssembly.Instance): ArrayBuffer | undefined {
  // A debugger may have swapped optimized code for debug code, leaving V8 nothing to serialize.
  if (inspectorOpen()) return undefined;
  const exported = new Set(WebAssembly.Module.exports(module).filter((entry) => entry.kind === "function").map((entry) => entry.name));
  const name = linkerFunctions.find((candidate) => exported.has(candidate));
  // The intrinsics were checked on V8 11 (Node 20) only.
  if (!name || !/^11\./.test(process.versions.v8)) return undefined;
  const natives = wasmIntrinsics();
  const fn = instance.exports[name];
  if (typeof fn !== "function") return undefined;
  natives.tierUp(fn);
  return natives.isOptimized(fn) ? natives.serialize(module) : undefined;
}

function inspectorOpen(): boolean {
  return (createRequire(import.meta.url)("node:inspector") as typeof import("node:inspector")).url() !== undefined;
}

/**
 * Writes an entry atomically (to a temporary name, renamed into place). Never throws: a cache that
 * cannot be written only means modules compile as before.
 *
 * @example
 * writeEntry(path, encodeSnapshotFile(payload, { key, checksum: crc32 }));
 */
function writeEntry(path: string, file: Uint8Array): void {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(join(path, ".."), { recursive: true });
    const fd = openSync(temporary, "w");
    try {
      writeSync(fd, file);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch {
    rmSync(temporary, { force: true });
  }
}
