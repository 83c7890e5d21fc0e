/**
 * The top-level folders kiln keeps beside the index cache's buckets in a cache directory. Their
 * writers, `kiln cache prune` and `kiln cache info` all name them from here, so a folder that moves
 * or gains a format suffix is pruned and reported where it is written.
 *
 * @example
 * const snapshots = new DirectoryBlobStore(join(cacheDir, kilnCacheFolders.snapshots));
 */
export const kilnCacheFolders = {
  /** Unpacked wheels that installs link from (a format change gets a new suffix). */
  unpackedWheels: "unpacked-v1",
  /** Digests of local files, by path, size and time. */
  fileDigests: "file-digests-v1",
  /** Parsed metadata of wheels resolved before. */
  wheelMetadata: "wheel-metadata-v1",
  /** Modules compiled at install, by source digest. */
  bytecode: "bytecode",
  /** Byte-compiled standard libraries, one per runtime build. */
  stdlib: "stdlib",
  /** Start profiles of runtime builds. */
  startProfiles: "start-profiles",
  /** V8's compiled code of runtime builds' wasm (see `loadWasmCode`). */
  wasmCode: "wasm-code",
  /** Pyodide's JavaScript glue as kiln patches it, per runtime build. */
  glue: "glue",
  /** Dynamic-linking layouts of runtime builds (what the patched glue links with). */
  linkLayouts: "link-layouts",
  /** Memory snapshots of started runtimes (and preload manifests beside them). */
  snapshots: "snapshots",
  /** What each runtime build offers. */
  runtimeDescriptions: "runtime-descriptions",
  /** Pyodide runtimes fetched from npm, one directory per version. */
  runtimes: "runtimes",
  /** V8's compiled code of kiln pip, kiln run and venv launchers, one file per bundle, build of kiln and Node version. */
  codeCache: "code-cache-v1",
  /** V8's compiled code of extension modules (side modules), by their sha256 (see node-side-module-cache.ts). */
  sideModuleCode: "side-module-code",
  /** Wheels built from sdists, by the sdist's sha256 (and their prepared metadata). */
  builtWheels: "built-wheels",
  /** Scratch directories of builds in progress. */
  builds: "build",
  /** `kiln test`'s wheels of the project under test. */
  projectWheels: "project-wheels",
  /** `kiln test`'s environment templates. */
  testEnvironments: "test-environments",
  /** `kiln test`'s run directories, one per template. */
  testRuns: "test-runs",
  /** The launchers of `kiln run`. */
  launchers: "bin",
} as const;
