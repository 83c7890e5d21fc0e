import { isKilnError, KilnError, silentReporter, type Reporter } from "../core/index.js";
import { normalizeName } from "../pep508/index.js";
import { withEnvironmentLock } from "./environment-lock.js";
import type { InstallFileSystem } from "./install-file-system.js";
import { checkInstallScheme, type InstallScheme } from "./install-scheme.js";
import { listInstalled, readInstalledDistribution } from "./installed-distributions.js";
import { planRemoval } from "./plan-removal.js";
import type { ZipCodecs } from "../archive/index.js";
import { tryParseWheelFilename } from "../wheel-name/index.js";
import { limitConcurrency } from "./concurrency-limit.js";
import type { LinkMode } from "./link-mode.js";
import { stageWheel, type StageContext, type StagedWheel, type WheelToInstall } from "./stage-wheel.js";
import type { UnpackedWheelCache } from "./unpacked-wheel-cache.js";
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
  /**
   * Verified, unpacked wheels to install from (see {@link UnpackedWheelCache}): each wheel is
   * unpacked into it once and its files are linked from there. Without it every wheel is
   * unpacked in memory and written out.
   */
  wheelCache?: UnpackedWheelCache;
  /** How files come from `wheelCache`: hard links (default) or copies. */
  linkMode?: LinkMode;
  /** The platform's native zip codecs, when faster than the portable ones. */
  codecs?: ZipCodecs;
  /** File operations in flight at once; default 16. */
  concurrency?: number;
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
  checkNoTwins(wheels);
  return inTransaction(`install ${names}`, options, async (transaction, reporter) => {
    const task = reporter.startTask("Installing", wheels.length);
    const context: StageContext = {
      transaction,
      scheme: options.scheme,
      reporter,
      limit: limitConcurrency(options.concurrency ?? 16),
      linking: { mode: options.linkMode ?? "hardlink" },
      ...(options.wheelCache ? { cache: options.wheelCache } : {}),
      ...(options.maxEntrySize === undefined ? {} : { maxEntrySize: options.maxEntrySize }),
      ...(options.codecs ? { codecs: options.codecs } : {}),
    };
    // Wheels stage side by side (their file operations share one bound); every one settles
    // before a failure propagates, so nothing still writes into staging while it is discarded.
    const settled = await Promise.allSettled(
      wheels.map(async (wheel) => {
        const staged = await stageWheel(wheel, context);
        task.advance(1);
        return staged;
      }),
    );
    const failed = settled.find((result): result is PromiseRejectedResult => result.status === "rejected");
    if (failed) throw failed.reason;
    const installed = settled.map((result) => (result as PromiseFulfilledResult<StagedWheel>).value);
    const removed: InstallResult["removed"] = [];
    // One listing (without RECORD) for all wheels; RECORD is read only for what is replaced.
    const replacing = new Set(installed.map((staged) => normalizeName(staged.name)));
    for (const listed of await listInstalled(options.scheme, options.fs, { record: false })) {
      if (!replacing.has(normalizeName(listed.name))) continue;
      const dist = await readInstalledDistribution(options.fs, listed.distInfo);
      await planRemoval(dist, { transaction, scheme: options.scheme, fs: options.fs, reporter });
      removed.push({ name: dist.name, version: dist.version });
    }
    task.finish(`Installed ${installed.map((wheel) => `${wheel.name} ${wheel.version}`).join(", ")}`);
    return { installed, removed };
  });
}

/** Two wheels of one distribution in one installation are refused before anything is staged. */
function checkNoTwins(wheels: readonly WheelToInstall[]): void {
  const seen = new Map<string, string>();
  for (const { filename } of wheels) {
    const name = normalizeName(tryParseWheelFilename(filename)?.name ?? filename);
    const twin = seen.get(name);
    if (twin !== undefined) throw new KilnError("installConflict", `Cannot install both ${twin} and ${filename}: they are the same distribution`);
    seen.set(name, filename);
  }
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
