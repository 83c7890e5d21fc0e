import { KilnError } from "../core/index.js";
import type { DistributionFile } from "../index/index.js";
import type { LockedSet } from "../lock/index.js";
import { compareVersions, tryParseVersion } from "../pep440/index.js";
import { normalizeName } from "../pep508/index.js";
import { targetTags, type TargetEnvironment } from "../resolver/index.js";
import { tagRanking, wheelTagRank } from "../tags/index.js";
import { tryParseWheelFilename } from "../wheel-name/index.js";
import type { InstalledCandidate } from "./installed-source.js";
import type { PlannedAction, PlannedPackage } from "./plan-install.js";

/** The `indexUrl` of files taken from a lock file. */
export const lockedSourceUrl = "kiln-lock:";

/** What making an environment match a set of packages takes. */
export interface SyncPlan {
  /** Every desired package, with what happens to it (`keep` when already installed at that version). */
  packages: PlannedPackage[];
  /** Installed distributions the set does not name: they are uninstalled. */
  extraneous: InstalledCandidate[];
}

/**
 * `pip sync` from a lock (PEP 751 `pylock.toml`): each locked package's best wheel for the
 * target's tags, installed unless that version is already there, and everything else installed
 * uninstalled. No resolution happens: the lock is the answer. A package locked with its sdist
 * and no wheel for the target is built (`fromSource`); one with neither is an error naming it and
 * the target's platform.
 *
 * @example
 * const plan = planLockSync(parsePylock(text), { installed, target });
 * plan.packages.filter((p) => p.action !== "keep"); // what to install
 */
export function planLockSync(locked: LockedSet, options: { installed: readonly InstalledCandidate[]; target: TargetEnvironment; reinstall?: boolean }): SyncPlan {
  const ranking = tagRanking(targetTags(options.target));
  const installed = new Map(options.installed.map((dist) => [normalizeName(dist.name), dist]));
  const packages = locked.packages.map((entry): PlannedPackage => {
    if (entry.pyodide && entry.pyodide.packageType !== "package" && entry.wheels.length > 0) return sharedLibraryPlan(entry, installed.get(entry.name), options.reinstall === true);
    const ranked = entry.wheels
      .map((wheel) => ({ wheel, rank: rankOf(wheel.filename, ranking) }))
      .filter((candidate): candidate is { wheel: typeof candidate.wheel; rank: number } => candidate.rank !== undefined)
      .sort((a, b) => a.rank - b.rank);
    const sdist = ranked.length === 0 ? entry.sdist : undefined;
    if (ranked.length === 0 && sdist === undefined) {
      throw new KilnError("noCompatibleWheel", `Cannot sync ${entry.displayName ?? entry.name} ${entry.version}: the lock has no wheel for ${options.target.platformTags[0]}`, {
        hint: `Lock for this environment's runtime (kiln lock), or install a runtime the lock was made for; its wheels: ${entry.wheels.map((w) => w.filename).join(", ") || "none"}`,
      });
    }
    const chosen = sdist ? [sdist] : ranked.map(({ wheel }) => wheel);
    const files = chosen.map((wheel): DistributionFile => ({ filename: wheel.filename, url: wheel.url, hashes: wheel.hashes, indexUrl: lockedSourceUrl, ...(wheel.size ? { size: wheel.size } : {}) }));
    const current = installed.get(entry.name);
    const planned: PlannedPackage = {
      name: entry.name,
      displayName: entry.displayName ?? entry.name,
      version: entry.version,
      action: actionFor(entry.version, current?.version, options.reinstall === true),
      wheel: files[0]!,
      alternatives: files.slice(1),
      requested: true,
      direct: false,
      extras: [],
      dependencies: entry.dependencies,
    };
    if (current) planned.installedVersion = current.version;
    if (sdist) planned.fromSource = true;
    return planned;
  });
  const wanted = new Set(packages.map((p) => p.name));
  return { packages, extraneous: options.installed.filter((dist) => !wanted.has(normalizeName(dist.name))) };
}

/**
 * A locked shared library of the Pyodide repository: its archive, with no wheel tags to rank, is
 * installed as a library (see sharedLibraryWheel). The lock was made for the runtime whose
 * repository it came from (kiln lock offers the repository only to a target of its ABI).
 */
function sharedLibraryPlan(entry: LockedSet["packages"][number], current: InstalledCandidate | undefined, reinstall: boolean): PlannedPackage {
  const archive = entry.wheels[0]!;
  const pyodide = entry.pyodide!;
  const planned: PlannedPackage = {
    name: entry.name,
    displayName: entry.displayName ?? entry.name,
    version: entry.version,
    action: actionFor(entry.version, current?.version, reinstall),
    wheel: {
      filename: archive.filename,
      url: archive.url,
      hashes: archive.hashes,
      indexUrl: lockedSourceUrl,
      ...(archive.size ? { size: archive.size } : {}),
      pyodide: { name: entry.displayName ?? entry.name, version: entry.version, depends: entry.dependencies, imports: entry.imports ?? [], packageType: pyodide.packageType, installDir: pyodide.installDir },
    },
    alternatives: [],
    requested: true,
    direct: false,
    extras: [],
    dependencies: entry.dependencies,
  };
  if (current) planned.installedVersion = current.version;
  return planned;
}

function rankOf(filename: string, ranking: ReturnType<typeof tagRanking>): number | undefined {
  const parsed = tryParseWheelFilename(filename);
  return parsed ? wheelTagRank(parsed.tags, ranking) : undefined;
}

function actionFor(version: string, installedVersion: string | undefined, reinstall: boolean): PlannedAction {
  if (installedVersion === undefined) return "install";
  const want = tryParseVersion(version);
  const have = tryParseVersion(installedVersion);
  const order = want && have ? compareVersions(want, have) : version === installedVersion ? 0 : 1;
  if (order === 0) return reinstall ? "reinstall" : "keep";
  return order > 0 ? "upgrade" : "downgrade";
}
