import { markerOnlyForAnExtra } from "./check-installed.js";
import type { InstallFileSystem } from "./install-file-system.js";
import type { InstallScheme } from "./install-scheme.js";
import type { DistributionFile } from "../index/index.js";
import { formatVersion } from "../pep440/index.js";
import { normalizeName, type Requirement } from "../pep508/index.js";
import { decodeWheelMetadata, type WheelMetadataCache } from "../resolver/index.js";
import type { InstallResult } from "./install-wheels.js";
import { errorCode } from "./install-file-system.js";
import { headerValues, parseEmailHeaders } from "../metadata/index.js";
import { compareNames, listDistInfos, nameAndVersionOf, type InstalledDistribution, type ReadInstalledOptions } from "./installed-distributions.js";
import type { InstalledCandidate } from "./installed-source.js";
import { joinPath } from "./paths.js";
import type { PlannedPackage } from "./plan-install.js";
import type { DirectUrl, StagedWheel } from "./stage-wheel.js";

/** An installed distribution with its METADATA text. */
export type InstalledWithMetadata = InstalledDistribution & InstalledCandidate;

/**
 * Every installed distribution with its core metadata text (empty when METADATA is missing), as
 * the planner and `pip check` / `pip show` need them; `{ record: false }` skips reading RECORD.
 *
 * @example
 * const installed = await readInstalledWithMetadata(scheme, fs);
 */
export async function readInstalledWithMetadata(scheme: InstallScheme, fs: InstallFileSystem, options: ReadInstalledOptions = {}): Promise<InstalledWithMetadata[]> {
  return (await listDistInfos(scheme, fs, options)).map(({ distribution, metadata }) => ({ ...distribution, metadata: metadata ?? "" }));
}

/**
 * The PEP 610 `direct_url.json` of an installed distribution, when it was installed from a path
 * or URL; undefined otherwise or when the file is unreadable.
 *
 * @example
 * (await readDirectUrl(fs, dist.distInfo))?.url; // "file:///work/dist/demo-1.0-py3-none-any.whl"
 */
export async function readDirectUrl(fs: InstallFileSystem, distInfo: string): Promise<DirectUrl | undefined> {
  const path = joinPath(distInfo, "direct_url.json");
  if ((await fs.stat(path))?.kind !== "file") return undefined;
  try {
    const parsed = JSON.parse(new TextDecoder().decode(await fs.readFile(path))) as DirectUrl;
    return typeof parsed?.url === "string" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** What an installation knew of a wheel it installed without reading it: its METADATA's name and version, and its Requires-Dist parsed. */
export interface ParsedInstalled {
  name: string;
  version: string;
  requirements: readonly Requirement[];
}

/** Options for {@link installedAfter}. */
export interface InstalledAfterOptions {
  /** The parsed metadata of an installed wheel, when known (see {@link parsedFromMetadataCache}); else its METADATA is read. */
  parsed?(staged: StagedWheel): Promise<ParsedInstalled | undefined>;
}

/**
 * The distributions installed after an installation, worked out from what it knew instead of by
 * listing the environment again, as pip computes its after-install check from its install set:
 * those installed before (`before`, as {@link readInstalledWithMetadata} read them) that it did
 * not remove or replace, and those it installed, whose METADATA it reads unless `parsed` has it.
 * Sorted by name, as {@link readInstalledWithMetadata} sorts them.
 *
 * @example
 * checkInstalled(await installedAfter(before, result, fs), target.markerEnvironment);
 */
export async function installedAfter(before: readonly InstalledCandidate[], result: InstallResult, fs: InstallFileSystem, options: InstalledAfterOptions = {}): Promise<InstalledCandidate[]> {
  const gone = new Set([...result.removed, ...result.installed].map((dist) => normalizeName(dist.name)));
  const added = await Promise.all(
    result.installed.map(async (staged): Promise<InstalledCandidate> => {
      const known = await options.parsed?.(staged);
      if (known) return { name: known.name, version: known.version, metadata: "", requirements: known.requirements };
      const metadata = await readTextIfPresent(fs, joinPath(staged.distInfo, "METADATA"));
      // Its headers are split once, for the name and version here and Requires-Dist for the check.
      const headers = parseEmailHeaders(metadata);
      const { name = staged.name, version = staged.version } = nameAndVersionOf(headers);
      return { name, version, metadata, requiresDist: headerValues(headers, "Requires-Dist") };
    }),
  );
  const after = [...before.filter((dist) => !gone.has(normalizeName(dist.name))), ...added];
  return after.sort((a, b) => compareNames(a.name, b.name));
}

/**
 * The parsed metadata of the wheels an installation installed, from the resolver's
 * parsed-metadata cache: the record kept under the key of the exact file installed (one of
 * `packages`' wheels, by file name), which holds what that file's METADATA says. A wheel built or
 * made during the installation, or one without a record, is not known (its METADATA is read).
 *
 * @example
 * const after = await installedAfter(before, result, fs, { parsed: parsedFromMetadataCache(plan.packages, metadataCache) });
 */
export function parsedFromMetadataCache(packages: readonly PlannedPackage[], cache: WheelMetadataCache): (staged: StagedWheel) => Promise<ParsedInstalled | undefined> {
  const files = new Map<string, DistributionFile>();
  for (const planned of packages) {
    if (planned.fromSource || planned.wheel === undefined) continue;
    for (const file of [planned.wheel, ...planned.alternatives]) files.set(file.filename, file);
  }
  return async (staged) => {
    const file = files.get(staged.filename);
    const key = file === undefined ? undefined : await cache.keyOf(file).catch(() => undefined);
    const metadata = key === undefined ? undefined : decodeWheelMetadata(withoutExtraOnly(cache.get(key)));
    if (metadata === undefined || normalizeName(metadata.displayName) !== normalizeName(staged.name)) return undefined;
    return { name: metadata.displayName, version: formatVersion(metadata.version), requirements: metadata.requiresDist };
  };
}

/**
 * A record without the Requires-Dist rows whose marker applies only with an extra (most of them),
 * which the check never evaluates as true: not decoded at all. Anything not shaped as a record
 * is passed on as it is, for decodeWheelMetadata to refuse.
 */
function withoutExtraOnly(record: unknown): unknown {
  const rows = (record as { requiresDist?: unknown } | undefined)?.requiresDist;
  if (!Array.isArray(rows)) return record;
  return { ...(record as object), requiresDist: rows.filter((row) => !(Array.isArray(row) && row.length === 5 && markerOnlyForAnExtra(row[4]))) };
}

async function readTextIfPresent(fs: InstallFileSystem, path: string): Promise<string> {
  try {
    return new TextDecoder().decode(await fs.readFile(path));
  } catch (error) {
    if (errorCode(error) === "ENOENT") return "";
    throw error;
  }
}
