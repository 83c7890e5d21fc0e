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
 * journal (see transaction.ts), under a lock file in `<prefix>/.kiln-install/`.
 */
export { installWheel, installWheels, type InstallOptions, type InstallResult } from "./install-wheels.js";
export type { DirectUrl, StagedWheel, WheelToInstall } from "./stage-wheel.js";
export { uninstallDistribution, recoverEnvironment, type UninstallResult } from "./uninstall-distribution.js";
export { listInstalled, findInstalled, readInstalledDistribution, type InstalledDistribution } from "./installed-distributions.js";
export { venvScheme, type InstallScheme } from "./install-scheme.js";
export { errorCode, type FileStat, type InstallFileSystem, type LockOwner, type WriteFileOptions } from "./install-file-system.js";
export { memoryFileSystem, type MemoryFileSystem, type MemoryFileSystemOptions } from "./memory-file-system.js";
export { parseEntryPoints, type EntryPoint } from "./entry-points.js";
export { entryPointLauncher, rewritePythonShebang, shellPolyglotHeader } from "./script-launcher.js";
export { withEnvironmentLock, type EnvironmentLockOptions } from "./environment-lock.js";
export { verifyFileHashes } from "./verify-file-hashes.js";
