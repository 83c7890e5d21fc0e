import { KilnError, silentReporter } from "../core/index.js";
import { withEnvironmentLock } from "./environment-lock.js";
import { checkInstallScheme } from "./install-scheme.js";
import { inTransaction, type InstallOptions } from "./install-wheels.js";
import { findInstalled } from "./installed-distributions.js";
import { planRemoval } from "./plan-removal.js";
import { hasTransactions, recoverTransactions } from "./transaction.js";

/** What an uninstall removed. */
export interface UninstallResult {
  name: string;
  version: string;
  /** Absolute paths of the removed files. */
  files: string[];
}

/**
 * Uninstalls a distribution as recorded in its RECORD, as one transaction. A distribution without
 * RECORD is refused with a hint; a name that is not installed is a `notInstalled` error.
 *
 * @example
 * await uninstallDistribution("pytest", { scheme, fs });
 */
export async function uninstallDistribution(name: string, options: InstallOptions): Promise<UninstallResult[]> {
  return inTransaction(`uninstall ${name}`, options, async (transaction, reporter) => {
    const dists = await findInstalled(name, options.scheme, options.fs);
    if (dists.length === 0) {
      throw new KilnError("notInstalled", `Cannot uninstall ${name}: it is not installed in ${options.scheme.prefix}`, {
        hint: "List what is installed with `kiln pip list`",
      });
    }
    const result: UninstallResult[] = [];
    for (const dist of dists) {
      const files = await planRemoval(dist, { transaction, scheme: options.scheme, fs: options.fs, reporter });
      result.push({ name: dist.name, version: dist.version, files });
    }
    return result;
  });
}

/**
 * Repairs an environment after an interrupted install or uninstall (see the Transaction journal),
 * under the install lock. Installs and uninstalls do this themselves first; call it before
 * reading an environment another process may have been killed while changing.
 *
 * @example
 * await recoverEnvironment({ scheme, fs });
 */
export async function recoverEnvironment(options: Pick<InstallOptions, "scheme" | "fs" | "reporter" | "lockTimeoutMs">): Promise<{ rolledBack: number; finished: number; discarded: number }> {
  checkInstallScheme(options.scheme);
  const reporter = options.reporter ?? silentReporter;
  // Looked at without the lock, whose file is created and deleted again (an inode, a few system
  // calls): with no transaction directory there is nothing to repair, and one that appears after
  // this look belongs to a live process holding the lock, which recovery would wait for anyway.
  if (!(await hasTransactions(options.fs, options.scheme.prefix))) return { rolledBack: 0, finished: 0, discarded: 0 };
  return withEnvironmentLock(options.scheme.prefix, options.fs, options.lockTimeoutMs === undefined ? {} : { timeoutMs: options.lockTimeoutMs }, async () => {
    const result = await recoverTransactions(options.fs, options.scheme.prefix);
    if (result.rolledBack > 0) reporter.warn(`Rolled back ${result.rolledBack} interrupted installation(s) in ${options.scheme.prefix}`);
    return result;
  });
}
