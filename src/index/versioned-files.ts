import type { DistributionFile } from "./distribution-file.js";

/**
 * A project's files grouped by the version their filenames name, each group materialized only
 * when asked for. Projects list thousands of files (one wheel per platform per release), and a
 * resolver looks at a few versions of each: a cached page can then be read without decoding
 * every file it lists.
 *
 * @example
 * const listing = groupFilesByVersion(files);
 * for (const version of listing.versions) console.log(version, listing.filesOf(version).length);
 */
export interface VersionedFiles {
  /**
   * Every distinct version text, as spelled in the filenames (unnormalized, so `1.0` and `1.0.0`
   * are separate groups), in the order the listing first names them. Files whose names give no
   * version are in none of these groups.
   */
  readonly versions: readonly string[];
  /** The files of one of `versions`, in listing order; empty for a text it does not have. */
  filesOf(version: string): readonly DistributionFile[];
  /** Every file, those without a version included, group by group. */
  all(): DistributionFile[];
}

/**
 * The version text of a wheel or sdist filename, unparsed (a cheap split, no PEP 440 parsing),
 * or the version a Pyodide repository entry declares; undefined when the name gives none.
 *
 * @example
 * versionTextOf({ filename: "idna-3.10-py3-none-any.whl" }); // "3.10"
 * versionTextOf({ filename: "idna-3.10.tar.gz" }); // "3.10"
 */
export function versionTextOf(file: Pick<DistributionFile, "filename" | "pyodide">): string | undefined {
  if (file.pyodide) return file.pyodide.version;
  const filename = file.filename;
  if (filename.endsWith(".whl")) {
    const parts = filename.split("-");
    return parts.length === 5 || parts.length === 6 ? parts[1] : undefined;
  }
  const stem = filename.match(/^(.*)\.(tar\.gz|zip|tar\.bz2|tar\.xz|tgz|tar)$/)?.[1];
  if (!stem || stem.lastIndexOf("-") < 1) return undefined;
  return stem.slice(stem.lastIndexOf("-") + 1);
}

/** Groupings already made, so the same list grouped twice gives the same listing. */
const grouped = new WeakMap<readonly DistributionFile[], VersionedFiles>();

/**
 * The files of a list grouped by {@link versionTextOf}; the same array gives the same listing.
 *
 * @example
 * groupFilesByVersion(await source.listFiles("idna")).versions; // ["2.0", …, "3.10"]
 */
export function groupFilesByVersion(files: readonly DistributionFile[]): VersionedFiles {
  let listing = grouped.get(files);
  if (!listing) {
    const groups = new Map<string, DistributionFile[]>();
    const unversioned: DistributionFile[] = [];
    for (const file of files) {
      const text = versionTextOf(file);
      if (text === undefined) {
        unversioned.push(file);
        continue;
      }
      const group = groups.get(text);
      if (group) group.push(file);
      else groups.set(text, [file]);
    }
    listing = listingOf(groups, unversioned);
    grouped.set(files, listing);
  }
  return listing;
}

/**
 * One listing over several, group by group (a version several of them have gets every one's
 * files, in the order given): `--index-strategy unsafe-best-match`.
 *
 * @example
 * mergeVersionedFiles([primary, extra]).filesOf("1.0");
 */
export function mergeVersionedFiles(listings: readonly VersionedFiles[]): VersionedFiles {
  if (listings.length === 1) return listings[0]!;
  const versions = [...new Set(listings.flatMap((listing) => listing.versions))];
  const known = new Set(versions);
  return {
    versions,
    filesOf: (version) => (known.has(version) ? listings.flatMap((listing) => listing.filesOf(version)) : []),
    all: () => listings.flatMap((listing) => listing.all()),
  };
}

/** A listing over groups already in memory. */
function listingOf(groups: Map<string, DistributionFile[]>, unversioned: DistributionFile[]): VersionedFiles {
  return {
    versions: [...groups.keys()],
    filesOf: (version) => groups.get(version) ?? [],
    all: () => [...[...groups.values()].flat(), ...unversioned],
  };
}

/**
 * Whether any file of a listing passes `isUsable`, looking at the versions listed last first
 * (index pages list the newest releases last, and those are the likeliest to fit).
 *
 * @example
 * hasUsableFile(listing, (file) => file.filename.endsWith(".whl"));
 */
export function hasUsableFile(listing: VersionedFiles, isUsable: (file: DistributionFile) => boolean): boolean {
  for (let index = listing.versions.length - 1; index >= 0; index--) {
    if (listing.filesOf(listing.versions[index]!).some(isUsable)) return true;
  }
  return false;
}
