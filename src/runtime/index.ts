/**
 * Running CPython on WASM (Pyodide): runtimes, memory snapshots, `python3` command-line semantics
 * and virtual environments.
 *
 * Quirks worth knowing:
 * - CPython's start-up fixes `sys.flags`, warning filters and `-X` options, and a memory snapshot
 *   freezes that start-up. So snapshots are keyed by the interpreter options and `PYTHON*`
 *   variables (see `startupConfigFor`), and everything else that differs per process (argv,
 *   environment, working directory, stdio buffering, sys.path, random seeds) is set after the
 *   restore by kiln's Python driver (`kiln-main-source.ts`). The hash seed is frozen per snapshot.
 * - The command line follows CPython's `Python/getopt.c`:
 *   https://docs.python.org/3/using/cmdline.html
 * - Virtual environments follow PEP 405 (`pyvenv.cfg`): https://peps.python.org/pep-0405/
 * - Pyodide 314 ships its standard library as `.py` files only (`python_stdlib.zip`), so every
 *   process would compile each module it imports; kiln byte-compiles it once per runtime build
 *   (`ensureCompiledStdlib`) into an archive zipimport reads `.pyc` files from (PEP 552
 *   unchecked-hash pycs: https://peps.python.org/pep-0552/).
 * - Pyodide's snapshot API (`_makeSnapshot`, `_loadSnapshot`) is private; kiln checks its own
 *   header (build, key, checksum) before handing bytes to Pyodide, and falls back to a cold start.
 * - Emscripten's dynamic linking (`src/lib/libdylink.js`) sets up a GOT entry and a table slot for
 *   every export of the main module at start; a snapshot holds table indices, so kiln's lazier
 *   set-up (`patchPyodideGlue`) must and does keep the table's layout exactly.
 */
export type { BlobReader, BlobStore, HostMount, HostStdio, RuntimeFiles, RuntimeHost, RuntimeSpec } from "./runtime-host.js";
export {
  formatPythonUsageError,
  parsePythonCommandLine,
  writesNoBytecode,
  type PythonCommandLine,
  type PythonMain,
} from "./python-command-line.js";
export { defaultStartupConfig, startupConfigFor, type StartupConfig } from "./startup-config.js";
export {
  decodeSnapshotFile,
  decodeSnapshotHeader,
  encodeSnapshotFile,
  readSnapshotKey,
  snapshotHeaderLength,
  snapshotPayloadRejection,
  type DecodedSnapshot,
  type SnapshotExtent,
  type SnapshotHeader,
  type SnapshotRejection,
} from "./snapshot-file.js";
export { hashString, snapshotBuildIdentity, snapshotKey, snapshotName } from "./snapshot-key.js";
export {
  compilationHintsFor,
  decodeStartProfile,
  encodeStartProfile,
  optimizedCompilationHintsFor,
  parseWasmCompileTrace,
  startProfileDigest,
  startProfileIdentity,
  startProfileName,
  type StartProfile,
} from "./start-profile.js";
export { pyodideGluePatchVersion, patchPyodideGlue, type GluePatchResult } from "./pyodide-glue-patch.js";
export { linkLayoutPatchSource } from "./link-layout-patch-source.js";
export { glueScriptImporter, glueScriptSource, loaderScriptSource } from "./glue-script.js";
export { wrapperBatchPatchSource } from "./wrapper-batch-patch-source.js";
export { patchSideModuleCompile, sideModuleCompilePatchVersion } from "./side-module-compile-patch.js";
export { encodeLinkLayout, tryDecodeLinkLayout, type LayoutChecksum, type LinkLayout } from "./link-layout.js";
export { compilationHintsInsertion, hintByte, hintStrategy, hintTier, withCompilationHints } from "./wasm-compilation-hints.js";
export { compileAhead, openStartSnapshot, prepareStart, preparedWithOpenedSnapshot, startRuntime, type CompiledAhead, type PreparedStart, type PreparedStartPromises, type StartRuntimeOptions } from "./start-runtime.js";
export { openStreamedSnapshot, type OpenedSnapshot, type StreamedSnapshot } from "./streamed-snapshot.js";
export { interruptView, type InterruptView } from "./interrupt-view.js";
export { PythonRuntime, sigintExitCode, sigintIgnoredVariable, type ProcessConfig } from "./python-runtime.js";
export { runPythonMain, type ProcessVenv, type PythonMainRequest } from "./run-python-main.js";
export {
  checkPreload,
  parsePreloadManifest,
  preloadKey,
  preloadNames,
  preloadRequestFor,
  preloadSource,
  type PreloadCheck,
  type PreloadManifest,
  type PreloadRequest,
} from "./preload-snapshot.js";
export { takePreloadSnapshot } from "./take-preload-snapshot.js";
export { exitStatusOf, type PyodideApi } from "./pyodide-api.js";
export { kilnMainSource } from "./kiln-main-source.js";
export { describeRuntime, type RuntimeDescription } from "./describe-runtime.js";
export { compiledStdlibName, compileStdlib, ensureCompiledStdlib } from "./compiled-stdlib.js";
export { compileModules } from "./compile-modules.js";
export {
  createVirtualEnvironment,
  formatRuntimeSetting,
  openVirtualEnvironment,
  parseRuntimeSetting,
  processVenv,
  writeModuleLauncher,
  type CreateVenvOptions,
  type VirtualEnvironment,
} from "./virtual-environment.js";
export { formatVenvConfig, parseVenvConfig } from "./venv-config.js";
export { activateScripts } from "./venv-activate.js";
export type { VenvFileSystem } from "./venv-file-system.js";
export { HostModuleRegistry, type HostModuleContext, type HostModuleHandler } from "./host-modules.js";
export {
  defaultNpmRegistry,
  fetchNpmRuntime,
  isExactRuntimeRequest,
  matchesRuntimeRequest,
  resolveNpmRuntimeVersion,
  type NpmRuntimeFetchOptions,
  type RuntimeFile,
} from "./npm-runtime.js";
