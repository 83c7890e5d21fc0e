import { isKilnError, KilnError, silentReporter, type Reporter } from "../core/index.js";
import { normalizeName } from "../pep508/index.js";
import { withEnvironmentLock } from "./environment-lock.js";
import type { InstallFileSystem } from "./install-file-system.js";
import { checkInstallScheme, type InstallScheme } from "./install-scheme.js";
import { findInstalled } from "./installed-distributions.js";
import { planRemoval } from "./plan-removal.js";
import { stageWheel, type StagedWheel, type WheelToInstall } from "./stage-wheel.js";
import { recoverTransactions, Transaction } from "./transaction.js";

/** Where and how to install. */
export interface InstallOptions {
  scheme: InstallScheme;
  fs: InstallFileSystem;
  reporter?: Reporter;
  /** How long to wait for another process's install lock; default 60 s. */
  lockTimeoutMs?: number;
  /** Largest single file a wheel may contain, uncompressed; default 1 GiB. */
  maxEntrySize?: number;
}

/** What an installation changed. */
export interface InstallResult {
  installed: StagedWheel[];
  /** Distributions replaced (upgraded, downgraded or reinstalled). */
  removed: { name: string; version: string }[];
}

/** The scheme directories below which emptied directories may be cleaned up. */
export function schemeRoots(scheme: InstallScheme): string[] {
  return [scheme.purelib, scheme.platlib, scheme.scripts, scheme.data, scheme.headers];
}

/**
 * Runs `action` in a transaction under the environment's install lock, after repairing any
 * interrupted earlier transaction; commits on success, discards on failure. Errors that are not
 * already a KilnError (a full disk, a permission problem) are wrapped with `what`.
 */
export async function inTransaction<T>(
  what: string,
  options: InstallOptions,
  action: (transaction: Transaction, reporter: Reporter) => Promise<T>,
): Promise<T> {
  const { scheme, fs } = options;
  const reporter = options.reporter ?? silentReporter;
  checkInstallScheme(scheme);
  const lockOptions = { onWait: (holder: string) => reporter.info(`Waiting for the install lock on ${scheme.prefix}, held by ${holder}`) };
  return withEnvironmentLock(scheme.prefix, fs, options.lockTimeoutMs === undefined ? lockOptions : { ...lockOptions, timeoutMs: options.lockTimeoutMs }, async () => {
    const recovered = await recoverTransactions(fs, scheme.prefix);
    if (recovered.rolledBack > 0) reporter.warn(`Rolled back ${recovered.rolledBack} interrupted installation(s) in ${scheme.prefix}`);
    const transaction = await Transaction.begin(fs, scheme.prefix, schemeRoots(scheme));
    try {
      const result = await action(transaction, reporter);
      await transaction.commit();
      return result;
    } catch (error) {
      await transaction.abort();
      if (isKilnError(error)) throw error;
      throw new KilnError("installFailed", `Cannot ${what}: ${(error as Error)?.message ?? String(error)}`, {
        hint: "Nothing was changed; fix the cause (disk space, permissions) and try again",
        cause: error,
      });
    }
  });
}

/**
 * Installs wheels into an environment as one transaction: every file hash is verified and every
 * file staged before anything in the environment changes, then all are committed together, with
 * installed versions of the same distributions removed (RECORD-driven) in the same step.
 *
 * @example
 * await installWheels(
 *   [{ wheel: bytes, filename: "pytest-9.2.0-py3-none-any.whl", requested: true, expectedHashes: { sha256 } }],
 *   { scheme: venvScheme("/work/.venv", "3.14"), fs: nodeFileSystem() },
 * );
 */
export async function installWheels(wheels: readonly WheelToInstall[], options: InstallOptions): Promise<InstallResult> {
  const names = wheels.map((wheel) => wheel.filename).join(", ");
  return inTransaction(`install ${names}`, options, async (transaction, reporter) => {
    const installed: StagedWheel[] = [];
    const task = reporter.startTask("Installing", wheels.length);
    for (const wheel of wheels) {
      const staged = await stageWheel(wheel, { transaction, scheme: options.scheme, reporter, ...(options.maxEntrySize === undefined ? {} : { maxEntrySize: options.maxEntrySize }) });
      const twin = installed.find((other) => normalizeName(other.name) === normalizeName(staged.name));
      if (twin) throw new KilnError("installConflict", `Cannot install both ${twin.filename} and ${staged.filename}: they are the same distribution`);
      installed.push(staged);
      task.advance(1);
    }
    const removed: InstallResult["removed"] = [];
    for (const staged of installed) {
      for (const dist of await findInstalled(staged.name, options.scheme, options.fs)) {
        await planRemoval(dist, { transaction, scheme: options.scheme, fs: options.fs, reporter });
        removed.push({ name: dist.name, version: dist.version });
      }
    }
    task.finish(`Installed ${installed.map((wheel) => `${wheel.name} ${wheel.version}`).join(", ")}`);
    return { installed, removed };
  });
}

/**
 * Installs one wheel; see {@link installWheels}.
 *
 * @example
 * await installWheel({ wheel: bytes, filename: "iniconfig-2.3.1-py3-none-any.whl", requested: true, scheme, fs });
 */
export async function installWheel(options: WheelToInstall & InstallOptions): Promise<InstallResult> {
  return installWheels([options], options);
}
