import { KilnError, type Reporter } from "../core/index.js";
import { environmentFileRole } from "./environment-files.js";
import type { InstallFileSystem } from "./install-file-system.js";
import type { InstallScheme } from "./install-scheme.js";
import type { InstalledDistribution } from "./installed-distributions.js";
import { linkedOutside } from "./linked-outside.js";
import { baseName, isInside, joinPath, parentPath } from "./paths.js";
import type { Transaction } from "./transaction.js";

async function filesUnder(fs: InstallFileSystem, directory: string): Promise<string[]> {
  const result: string[] = [];
  for (const name of await fs.list(directory)) {
    const path = joinPath(directory, name);
    const stat = await fs.stat(path);
    if (stat?.kind === "directory") result.push(...(await filesUnder(fs, path)));
    else if (stat !== undefined) result.push(path);
  }
  return result;
}

/**
 * Adds the removal of an installed distribution to a transaction, driven by its RECORD: every
 * recorded file, the bytecode Python cached for recorded `.py` files, and the `.dist-info`
 * directory itself. Recorded paths outside the environment, and the environment's own files
 * (see {@link environmentFileRole}), are skipped with a warning, so a tampered RECORD cannot make
 * an uninstall delete files elsewhere or break the environment. So are files in a directory that
 * is a symbolic link leading out of the environment (pip, too, resolves links and leaves such
 * files alone): the link's target is not the distribution's.
 */
export async function planRemoval(
  dist: InstalledDistribution,
  context: { transaction: Transaction; scheme: InstallScheme; fs: InstallFileSystem; reporter: Reporter },
): Promise<string[]> {
  const { transaction, scheme, fs, reporter } = context;
  if (dist.files === undefined) {
    throw new KilnError("missingRecord", `Cannot uninstall ${dist.name} ${dist.version}: ${dist.distInfo} has no RECORD file`, {
      hint: "It was installed by a tool that did not record its files; delete its files and that directory by hand",
    });
  }
  const base = parentPath(dist.distInfo);
  const targets = new Set<string>();
  const caches = new Map<string, string[]>();
  const outside = linkedOutside(fs, scheme.prefix);
  for (const row of dist.files) {
    const target = joinPath(base, row.path);
    if (!isInside(scheme.prefix, target) || target === joinPath(scheme.prefix)) {
      reporter.warn(`Not removing "${row.path}" of ${dist.name}: RECORD points outside the environment`);
      continue;
    }
    const role = environmentFileRole(scheme, target);
    if (role !== undefined) {
      reporter.warn(`Not removing "${row.path}" of ${dist.name}: it is ${role}, not the distribution's`);
      continue;
    }
    const real = await outside(parentPath(target));
    if (real !== undefined) {
      reporter.warn(`Not removing "${row.path}" of ${dist.name}: its directory is a symbolic link that leads outside the environment, to "${real}"`);
      continue;
    }
    if ((await fs.stat(target))?.kind === "directory") continue;
    targets.add(target);
    if (target.endsWith(".py")) {
      const cache = joinPath(parentPath(target), "__pycache__");
      if (!caches.has(cache)) caches.set(cache, (await fs.stat(cache))?.kind === "directory" ? await fs.list(cache) : []);
      const stem = `${baseName(target).slice(0, -3)}.`;
      for (const name of caches.get(cache)!) if (name.startsWith(stem) && name.endsWith(".pyc")) targets.add(joinPath(cache, name));
    }
  }
  if ((await fs.stat(dist.distInfo))?.kind === "directory") for (const file of await filesUnder(fs, dist.distInfo)) targets.add(file);
  for (const target of targets) transaction.removeFile(target);
  return [...targets];
}
