import { existsSync, readdirSync, readFileSync, statSync, writeSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { crc32 } from "node:zlib";
import { KilnError } from "../core/index.js";
import type { HostMount, LinkLayout, RuntimeFiles, RuntimeHost, RuntimeSpec } from "../runtime/index.js";
import { bundledPyodideDir } from "./bundled-pyodide-dir.js";
import { definedEnv } from "./defined-env.js";
import { DirectoryBlobStore } from "./node-blob-store.js";
import { importModule } from "./import-module.js";
import { compiledStdlibStore, withCompiledStdlib } from "./node-compiled-stdlib.js";
import { kilnCacheDir } from "./kiln-cache-dir.js";
import { kilnCacheFolders } from "./kiln-cache-folders.js";
import { loadGlueScript, type LoadedGlueScript } from "./node-glue-script.js";
import { patchedGlue, type PatchedGlue } from "./node-patched-glue.js";
import { SideModuleCache } from "./node-side-module-cache.js";
import { NodeStdio } from "./node-stdio.js";
import { compileRuntimeWasm, startProfilesSupported } from "./node-wasm-compile.js";
import { loadWasmCode, wasmCodeCacheWanted } from "./node-wasm-code-cache.js";
import { deferStandardLibrary, lazyStdlibSupported, type ModuleWithFileSystem } from "./node-lazy-stdlib.js";
import { restoreSnapshotSparsely, type ModuleWithSnapshotRestore } from "./node-sparse-restore.js";
import { interceptReadFile, withPrecompiledWasm } from "./precompiled-wasm.js";

// Top-level host directories kept for the runtime's own: its standard library lives in /lib, and
// Emscripten provides /dev and /proc.
const runtimeOwned = new Set(["dev", "proc", "sys", "lib"]);

/** Options for {@link createNodeRuntimeHost}. */
export interface NodeRuntimeHostOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** The standard streams; the process's own file descriptors when absent. */
  stdio?: NodeStdio;
  /** Where kiln caches snapshots and runtimes; {@link kilnCacheDir} when absent. */
  cacheDir?: string;
  /** `false`: no start profiles, whatever the environment says (see {@link startProfilesWanted}). */
  startProfiles?: false;
}

/** A {@link RuntimeHost} for Node, with the cache directory it uses. */
export type NodeRuntimeHost = RuntimeHost & { cacheDir: string };

/**
 * The runtime layer's host, for Node: the bundled `pyodide` package, snapshots in kiln's cache
 * directory, the host file system mounted at its own paths (NODEFS), the process's stdio.
 *
 * @example
 * const host = createNodeRuntimeHost();
 * const code = await runPythonMain(host, request);
 */
export function createNodeRuntimeHost(options: NodeRuntimeHostOptions = {}): NodeRuntimeHost {
  const env = definedEnv(options.env ?? process.env);
  const cacheDir = options.cacheDir ?? kilnCacheDir(env, { cwd: options.cwd ?? process.cwd() });
  const compiledStdlibs = compiledStdlibStore(cacheDir);
  // One look per runtime and host (its files' stats, package.json, pyodide.mjs); whether the cache
  // holds a compiled standard library is checked on each call (a run may just have compiled it).
  const located = new Map<string, Promise<RuntimeFiles>>();
  const locate = (spec: RuntimeSpec) => {
    const name = spec.kind === "npm" ? `npm:${spec.version}` : spec.kind;
    let files = located.get(name);
    if (!files) {
      located.set(name, (files = locateNodeRuntime(spec, cacheDir, env)));
      files.catch(() => located.delete(name));
    }
    return files;
  };
  return {
    cacheDir,
    locateRuntime: async (spec) => withCompiledStdlib(await locate(spec), compiledStdlibs),
    snapshots: new DirectoryBlobStore(join(cacheDir, kilnCacheFolders.snapshots)),
    // Byte-compiled standard libraries: what locateRuntime finds there, Pyodide starts with.
    compiledStdlibs,
    ...(options.startProfiles !== false && startProfilesWanted(env) ? { startProfiles: startProfileStore(cacheDir) } : {}),
    checksum: (bytes) => crc32(bytes),
    fileStamps,
    directoryNames: async (path) => {
      try {
        return readdirSync(path);
      } catch {
        return [];
      }
    },
    mounts: hostRootMounts,
    mount: mountNodeFs,
    stdio: options.stdio ?? new NodeStdio(),
    env,
    cwd: options.cwd ?? process.cwd(),
    now: () => performance.now(),
  };
}

/**
 * Where start profiles live in a kiln cache directory.
 *
 * @example
 * await startProfileStore(cacheDir).write(startProfileName(build), bytes);
 */
export function startProfileStore(cacheDir: string): DirectoryBlobStore {
  return new DirectoryBlobStore(join(cacheDir, kilnCacheFolders.startProfiles));
}

/**
 * Whether to use (and record) start profiles: on a V8 that takes them, unless
 * `KILN_START_PROFILE=off` (or `record`, which the recording process itself runs with).
 *
 * @example
 * if (startProfilesWanted(env)) ...
 */
export function startProfilesWanted(env: Record<string, string | undefined>): boolean {
  return startProfilesSupported() && env.KILN_START_PROFILE !== "off" && env.KILN_START_PROFILE !== "record";
}

async function locateNodeRuntime(spec: RuntimeSpec, cacheDir: string, env: Record<string, string>): Promise<RuntimeFiles> {
  if (spec.kind === "npm") {
    const { ensureNpmRuntime } = await import("./node-npm-runtime.js");
    return runtimeFilesIn(await ensureNpmRuntime(spec.version, cacheDir, env), { cacheDir, env });
  }
  return runtimeFilesIn(bundledPyodideDir(), { cacheDir, env });
}

/**
 * The {@link RuntimeFiles} of a Pyodide distribution unpacked in `directory`. With a cache
 * directory, Pyodide 314's glue runs patched (see `patchedGlue`) when the patch recognizes it.
 *
 * @example
 * const files = await runtimeFilesIn("/path/to/node_modules/pyodide");
 */
export async function runtimeFilesIn(directory: string, options: { cacheDir?: string; env?: Record<string, string | undefined> } = {}): Promise<RuntimeFiles> {
  let version: string;
  let identity: string;
  let glueIsModule = false;
  try {
    version = JSON.parse(readFileSync(join(directory, "package.json"), "utf8")).version;
    // Pyodide 314 ships its Emscripten glue as pyodide.asm.mjs, earlier versions as pyodide.asm.js.
    glueIsModule = existsSync(join(directory, "pyodide.asm.mjs"));
    const glue = glueIsModule ? "pyodide.asm.mjs" : "pyodide.asm.js";
    identity = ["pyodide.asm.wasm", glue, "python_stdlib.zip", "pyodide.mjs"]
      .map((name) => {
        const stat = statSync(join(directory, name));
        return `${name}:${stat.size}:${Math.trunc(stat.mtimeMs)}`;
      })
      .join(",");
  } catch (error) {
    throw new KilnError("runtimeInvalid", `Cannot read the Pyodide runtime in "${directory}": ${(error as Error).message}`, {
      cause: error,
      hint: "Reinstall kiln (npm ci), or remove the runtime from kiln's cache so it is fetched again",
    });
  }
  const wasmPath = join(directory, "pyodide.asm.wasm");
  const originalGlue = pathToFileURL(join(directory, "pyodide.asm.mjs")).href;
  // Pyodide 314's loadPyodide takes the module factory as an option; earlier versions ignore it.
  const loaderText = glueIsModule ? readFileSync(join(directory, "pyodide.mjs"), "utf8") : "";
  const takesFactory = loaderText.includes("createPyodideModule");
  // A start from a snapshot reads the standard library when Python first opens it (see deferStandardLibrary).
  const lazyStdlib = takesFactory && lazyStdlibSupported(loaderText);
  const patched = takesFactory && options.cacheDir ? patchedGlue(directory, { cacheDir: options.cacheDir, env: options.env ?? {} }) : undefined;
  const importGlue = glueImporter(originalGlue, patched, options.env ?? {});
  const importLoader = () => importModule<PyodideLoader>(pathToFileURL(join(directory, "pyodide.mjs")).href);
  const importPyodide = scriptedImporter<PyodideLoader>({
    script: patched?.loaderScript,
    exportsOf: (exports) => exports as Promise<PyodideLoader>,
    importModule: importLoader,
    fallback: () => {
      patched?.discard();
      return importLoader();
    },
    env: options.env ?? {},
  });
  return {
    pyodideVersion: version,
    indexURL: `${directory}/`,
    buildIdentity: `${version}|${directory}|${identity}`,
    loadPyodide: async (loadOptions, extras) => {
      const { loadPyodide } = await importPyodide();
      // Extension modules' compiled code is kept in the same cache (see node-side-module-cache.ts).
      const sideModules = options.cacheDir ? new SideModuleCache({ cacheDir: options.cacheDir, env: options.env ?? {} }) : undefined;
      const linked = patched ? await withLinkLayout(loadOptions, { glue: patched, factory: importGlue, ...(sideModules ? { sideModules } : {}) }) : loadOptions;
      const factory = takesFactory ? importGlue : undefined;
      const ready = extras?.ready;
      const restoring = Boolean(ready || loadOptions._loadSnapshot);
      const stdlib = restoring && lazyStdlib ? { path: String(loadOptions.stdLibURL ?? join(directory, "python_stdlib.zip")), debug: Boolean(options.env?.KILN_DEBUG) } : undefined;
      const gated = restoring ? await gateSnapshot(linked, { ...(ready ? { ready } : {}), factory, ...(stdlib ? { stdlib } : {}) }) : linked;
      // Pyodide's own read of the standard library gets an empty file, which the gate makes read the host file when used.
      const restoreRead = stdlib ? interceptReadFile(stdlib.path, async () => Buffer.alloc(0)) : () => undefined;
      try {
        const pyodide = await (extras ? withPrecompiledWasm(() => loadPyodide(gated), { compiled: extras.wasmModule, byteLength: statSync(wasmPath).size, path: wasmPath }) : loadPyodide(gated));
        // The glue's compiled code is kept from a start like the ones that will use it: from a snapshot.
        if (restoring) {
          importPyodide.keepCompiledCode();
          importGlue.keepCompiledCode();
        }
        return pyodide;
      } finally {
        restoreRead();
      }
    },
    // The same URLs Pyodide imports, so its own imports find these modules already loaded.
    preload: () => {
      void importPyodide().catch(() => undefined);
      if (glueIsModule) void importGlue().catch(() => undefined);
    },
    compileWasm: async (compile) => {
      const profile = compile?.profile;
      // With a profile, from V8's code kept in the cache when there is some (see loadWasmCode).
      if (profile && options.cacheDir && wasmCodeCacheWanted(options.env ?? {})) {
        const { module } = await loadWasmCode({ cacheDir: options.cacheDir, wasm: { path: wasmPath }, profile });
        if (module) return module;
      }
      return compileRuntimeWasm(readFileSync(wasmPath), profile);
    },
  };
}

/** What kiln uses of Pyodide's loader, `pyodide.mjs`. */
type PyodideLoader = { loadPyodide: (options: Record<string, unknown>) => Promise<unknown> };

/** Emscripten's module factory, the default export of `pyodide.asm.mjs`. */
type PyodideModuleFactory = (settings: object) => Promise<unknown>;

/** Imports a module once (see {@link scriptedImporter}); `keepCompiledCode` keeps V8's code of its script form after a start ran it. */
interface ScriptedImporter<T> {
  (): Promise<T>;
  keepCompiledCode(): void;
}

/**
 * Imports a module once: from its script form through V8's code cache when there is one (see
 * `loadGlueScript`; `exportsOf` turns what the script returns into the module's exports), else
 * by `importModule`. A script that fails to load or run goes to `fallback`.
 */
function scriptedImporter<T>(options: {
  script: { path: string; codePath: string } | undefined;
  exportsOf: (returned: unknown) => T | Promise<T>;
  importModule: () => Promise<T>;
  fallback: () => Promise<T>;
  env: Record<string, string | undefined>;
}): ScriptedImporter<T> {
  let loaded: Promise<T> | undefined;
  let script: LoadedGlueScript | undefined;
  const { env } = options;
  const load = (found: { path: string; codePath: string }): Promise<T> => {
    try {
      script = loadGlueScript({ scriptPath: found.path, codePath: found.codePath, importer: importForScript });
      if (env.KILN_DEBUG) writeSync(2, `kiln debug: code cache of ${basename(found.path)} ${script.outcome}\n`);
      return Promise.resolve(options.exportsOf(script.factory)).catch(options.fallback);
    } catch {
      return options.fallback();
    }
  };
  const importer = () => (loaded ??= options.script ? load(options.script) : options.importModule());
  importer.keepCompiledCode = () => {
    if (script?.keepCompiledCode() && env.KILN_DEBUG) writeSync(2, `kiln debug: code cache of ${basename(options.script!.path)} written\n`);
  };
  return importer;
}

/**
 * The glue, imported once: the patched copy when there is one, from its script form when it has
 * one, else as a module; else the original. A patched copy that does not load is dropped (the
 * next start patches again) and the original imported instead.
 */
function glueImporter(originalUrl: string, patched: PatchedGlue | undefined, env: Record<string, string | undefined>): ScriptedImporter<{ default: PyodideModuleFactory }> {
  const importOriginal = () => importModule<{ default: PyodideModuleFactory }>(originalUrl);
  const dropCopy = () => {
    patched?.discard();
    return importOriginal();
  };
  return scriptedImporter({
    script: patched?.script,
    exportsOf: (factory) => ({ default: factory as PyodideModuleFactory }),
    importModule: () => (patched ? importModule<{ default: PyodideModuleFactory }>(patched.url).catch(dropCopy) : importOriginal()),
    fallback: dropCopy,
    env,
  });
}

/**
 * `import()` for the runtime's scripts: Node's built-in modules straight from Node (a namespace
 * whose named exports read the module's current properties, as ES module namespaces of built-ins
 * follow `syncBuiltinESMExports`), so that a start that runs them needs no ES module loader; any
 * other module through it.
 */
function importForScript(url: string): Promise<unknown> {
  const getBuiltinModule = (process as { getBuiltinModule?: (id: string) => object | undefined }).getBuiltinModule;
  if (url.startsWith("node:") && getBuiltinModule) {
    let namespace = builtinNamespaces.get(url);
    if (!namespace) {
      const builtin = getBuiltinModule(url);
      if (builtin) builtinNamespaces.set(url, (namespace = Object.create(builtin, { default: { value: builtin, enumerable: true } }) as object));
    }
    if (namespace) return Promise.resolve(namespace);
  }
  return importModule(url);
}

const builtinNamespaces = new Map<string, object>();

/**
 * The `loadPyodide` options that run the patched glue with this build's link layout, and keep
 * the layout when the start had none and recorded one; with `sideModules`, extension modules are
 * built from V8's code kept in the cache when there is some (see `SideModuleCache`).
 */
async function withLinkLayout(
  options: Record<string, unknown>,
  link: { glue: PatchedGlue; factory: () => Promise<{ default: PyodideModuleFactory }>; sideModules?: SideModuleCache },
): Promise<Record<string, unknown>> {
  const factory = (await link.factory()).default;
  const layout = link.glue.readLayout();
  return {
    ...options,
    createPyodideModule: async (settings: Record<string, unknown>) => {
      if (layout) settings.kilnLinkLayout = layout;
      const sideModules = link.sideModules;
      if (sideModules) {
        settings.kilnCompileSideModule = (bytes: Uint8Array, libName: string) => sideModules.compile(bytes, libName);
        settings.kilnSideModuleInstantiated = (module: WebAssembly.Module, instance: WebAssembly.Instance, libName: string) => sideModules.instantiated(module, instance, libName);
      }
      const module = (await factory(settings)) as { kilnLinkLayoutRecorded?: LinkLayout };
      if (module.kilnLinkLayoutRecorded) link.glue.writeLayout(module.kilnLinkLayoutRecorded);
      return module;
    },
  };
}

/**
 * The `loadPyodide` options for a start from a snapshot (`_loadSnapshot`): they wait for `ready`
 * (when given) before Pyodide touches the snapshot: with the runtime's module factory
 * (`factory`), after the wasm is instantiated and Emscripten has set up (so the snapshot is read
 * and checked on the other thread meanwhile); without, before anything. With the factory, they
 * also grow the module's memory to the snapshot's size first: Pyodide sizes memory for a snapshot
 * with `INITIAL_MEMORY`, which a module that defines its own memory ignores, so a snapshot taken
 * after the heap grew (a preload that imported more) would not fit. With `stdlib`, the standard
 * library archive Pyodide wrote empty becomes one read from the host when first used (see
 * `deferStandardLibrary`). A `createPyodideModule` already in `options` (the patched glue's) is
 * the factory wrapped.
 */
async function gateSnapshot(
  options: Record<string, unknown>,
  gate: { ready?: Promise<string | undefined>; factory: (() => Promise<{ default: PyodideModuleFactory }>) | undefined; stdlib?: { path: string; debug: boolean } },
): Promise<Record<string, unknown>> {
  const check = async () => {
    const refused = await gate.ready;
    if (refused) throw new Error(`The memory snapshot was refused (${refused})`);
  };
  if (!gate.factory) {
    await check();
    return options;
  }
  const factory = (options.createPyodideModule as PyodideModuleFactory | undefined) ?? (await gate.factory()).default;
  const snapshot = options._loadSnapshot;
  const size = ArrayBuffer.isView(snapshot) ? snapshot.byteLength : snapshot instanceof ArrayBuffer ? snapshot.byteLength : 0;
  return {
    ...options,
    createPyodideModule: async (settings: object) => {
      const module = (await factory(settings)) as EmscriptenHeap & ModuleWithFileSystem & ModuleWithSnapshotRestore;
      if (gate.stdlib) deferStandardLibrary(module, gate.stdlib.path, { debug: gate.stdlib.debug });
      await check();
      if (size > (module.HEAPU8?.length ?? size) && module._emscripten_resize_heap?.(size) === false) {
        throw new Error(`Cannot grow the runtime's memory to the snapshot's ${size} bytes`);
      }
      restoreSnapshotSparsely(module);
      return module;
    },
  };
}

/** What {@link gateSnapshot} uses of an Emscripten module: its heap, and Emscripten's own growth (which renews the heap's views). */
interface EmscriptenHeap {
  HEAPU8?: Uint8Array;
  _emscripten_resize_heap?: (requestedSize: number) => boolean | number;
}

/** Size, modification time (ns) and inode of each file; a file replaced or rewritten gets another stamp. */
async function fileStamps(paths: string[]): Promise<Array<string | undefined>> {
  return paths.map((path) => {
    const found = statSync(path, { bigint: true, throwIfNoEntry: false });
    return found?.isFile() ? `${found.size}:${found.mtimeNs}:${found.ino}` : undefined;
  });
}

function hostRootMounts(): HostMount[] {
  const mounts: HostMount[] = [];
  for (const name of readdirSync("/")) {
    if (runtimeOwned.has(name)) continue;
    try {
      if (statSync(`/${name}`).isDirectory()) mounts.push({ mountPoint: `/${name}`, hostPath: `/${name}` });
    } catch {
      // A dangling link or an unreadable entry: nothing to show there.
    }
  }
  return mounts;
}

function mountNodeFs(fs: unknown, mount: HostMount): void {
  const emscriptenFs = fs as { mount(type: unknown, options: object, mountPoint: string): void; filesystems: { NODEFS: unknown } };
  emscriptenFs.mount(emscriptenFs.filesystems.NODEFS, { root: mount.hostPath }, mount.mountPoint);
}
