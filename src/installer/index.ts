/**
 * Installing wheels into a WASM virtual environment, by the binary distribution format spec
 * (https://packaging.python.org/en/latest/specifications/binary-distribution-format/) and the
 * recording-installed-packages spec (https://packaging.python.org/en/latest/specifications/recording-installed-packages/).
 *
 * Quirks: RECORD paths are relative to the directory holding `.dist-info`, so scripts appear as
 * `../../../bin/x`; `#!python` script shebangs and console-script launchers become a `/bin/sh`
 * polyglot that execs the environment's `bin/python` (itself a launcher, which a shebang cannot
 * name portably); `.data/headers` goes to `headers/<name>`; INSTALLER, REQUESTED and
 * direct_url.json shipped inside a wheel are replaced by the installer's own. Every install and
 * uninstall is one transaction, staged inside the environment and committed by renames with a
 * journal (see transaction.ts), under a lock file in `<prefix>/.kiln-install/`. As uv does, a wheel
 * is verified and unpacked once into a cache keyed by its sha256 (unpacked-wheel-cache.ts) and
 * installed from there by hard links (`LinkMode` `copy` for independent files): installed files
 * then share inodes with the cache.
 *
 * On top of the engine, pip's workflows: `planInstall` follows pip's "only-if-needed" upgrade
 * strategy (installed versions that satisfy are kept, and the index is not asked about them),
 * direct references pin their project to the named wheel, `--no-deps` resolves metadata with its
 * `Requires-Dist` removed; `pipInstallReport` writes pip's installation report
 * (https://pip.pypa.io/en/stable/reference/installation-report/); `checkInstalled` is `pip check`.
 */
export { installWheel, installWheels, type InstallOptions, type InstallResult } from "./install-wheels.js";
export type { DirectUrl, StagedWheel, WheelToInstall } from "./stage-wheel.js";
export { UnpackedWheelCache, type CachedWheel, type UnpackedPruneOptions, type UnpackedPruneResult } from "./unpacked-wheel-cache.js";
export { unpackWheel, type UnpackedFile, type UnpackedWheel, type UnpackWheelOptions } from "./unpack-wheel.js";
export { parseLinkMode, linkModes, type LinkMode } from "./link-mode.js";
export { limitConcurrency, mapWithLimit, type ConcurrencyLimit } from "./concurrency-limit.js";
export { fileRecordHash } from "./file-record-hash.js";
export { uninstallDistribution, recoverEnvironment, type UninstallResult } from "./uninstall-distribution.js";
export { listInstalled, findInstalled, readInstalledDistribution, type InstalledDistribution } from "./installed-distributions.js";
export { venvScheme, type InstallScheme } from "./install-scheme.js";
export { errorCode, type FileStat, type InstallFileSystem, type LockOwner, type WriteFileOptions } from "./install-file-system.js";
export { memoryFileSystem, type MemoryFileSystem, type MemoryFileSystemOptions } from "./memory-file-system.js";
export { parseEntryPoints, type EntryPoint } from "../metadata/index.js";
export { entryPointLauncher, rewritePythonShebang, shellPolyglotHeader } from "./script-launcher.js";
export { withEnvironmentLock, type EnvironmentLockOptions } from "./environment-lock.js";
export { verifyFileHashes } from "./verify-file-hashes.js";
export { targetForVenv } from "./target-for-venv.js";
export { DirectFilesSource, directSourceUrl, type DirectFilesSourceOptions } from "./direct-files-source.js";
export { preferInstalled, installedSourceUrl, type InstalledCandidate, type PreferInstalledOptions } from "./installed-source.js";
export { readInstalledWithMetadata, readDirectUrl, installedAfter, parsedFromMetadataCache, type InstalledAfterOptions, type InstalledWithMetadata, type ParsedInstalled } from "./installed-candidates.js";
export { withoutDependencies, withoutDependencyRecords, stripRequiresDist } from "./without-dependencies.js";
export {
  planInstall,
  splitDirectReferences,
  type InstallRequest,
  type PlanInstallOptions,
  type PlanInstallResult,
  type PlannedAction,
  type PlannedPackage,
} from "./plan-install.js";
export { applyInstallPlan, type ApplyInstallPlanOptions } from "./apply-install-plan.js";
export { isSharedLibraryArchive, sharedLibraryWheel, type SharedLibraryWheel } from "./shared-library-wheel.js";
export type { FileDigests } from "./file-digests.js";
export { pipInstallReport, metadataToJson, type PipReport, type PipReportItem } from "./pip-report.js";
export { checkInstalled, formatBrokenRequirement, type BrokenRequirement } from "./check-installed.js";
export { planLockSync, lockedSourceUrl, type SyncPlan } from "./plan-sync.js";
export { latestCompatible } from "./latest-compatible.js";
