import { KilnError } from "../core/index.js";
import { groupFilesByVersion, listVersionedFiles, type DistributionFile, type FetchFileOptions, type ListFilesOptions, type ListVersionsOptions, type PackageSource } from "../index/index.js";
import { tryParseVersion, versionsEqual } from "../pep440/index.js";
import { normalizeName, type Requirement } from "../pep508/index.js";
import { parseWheelFilename } from "../wheel-name/index.js";

/** The `indexUrl` of the pseudo-files that stand for installed distributions. */
export const installedSourceUrl = "kiln-installed:";

/** An installed distribution the resolver may keep: its name, version and core metadata. */
export interface InstalledCandidate {
  name: string;
  version: string;
  /** The text of its `.dist-info/METADATA`. */
  metadata: string;
  /** Its METADATA's `Requires-Dist` values, when whoever read it split the headers already (the check then does not parse them again). */
  requiresDist?: readonly string[];
  /**
   * Its `Requires-Dist` already parsed, when whoever found it had them so (the resolver's
   * parsed-metadata cache, for a wheel just installed): the check then reads and parses nothing.
   * Used instead of `requiresDist` and `metadata`, which may then be empty.
   */
  requirements?: readonly Requirement[];
}

/** Options for {@link preferInstalled}. */
export interface PreferInstalledOptions {
  /** Installed distributions, by whatever name spelling. */
  installed: readonly InstalledCandidate[];
  /** Normalized names whose installed version may be kept (not being upgraded or reinstalled). */
  keep: ReadonlySet<string>;
  /**
   * `installed-only`: a kept project's only candidate is its installed version, so the index is
   * not asked about it at all (pip's lazy finder, which makes `pip install x` with x installed
   * work offline). `also-installed`: the installed version joins the index's candidates, for a
   * second attempt when the first cannot be satisfied.
   */
  mode: "installed-only" | "also-installed";
}

/**
 * Wraps a source so installed distributions are candidates too, as pip's resolver does: an
 * installed version that no index offers any more (a local wheel, a yanked release) can still
 * satisfy a requirement without a download. The installed version is listed as a pseudo-wheel
 * whose metadata is the installed METADATA; fetching its bytes is refused, since a plan never
 * reinstalls what it keeps.
 *
 * @example
 * const source = preferInstalled(index, { installed, keep: new Set(["pytest"]), mode: "installed-only" });
 */
export function preferInstalled(inner: PackageSource, options: PreferInstalledOptions): PackageSource {
  const byName = new Map(options.installed.map((dist) => [normalizeName(dist.name), dist]));
  const pseudoFile = (dist: InstalledCandidate): DistributionFile => ({
    filename: `${dist.name.replace(/[-_.]+/g, "_")}-${dist.version.replace(/-/g, "_")}-py3-none-any.whl`,
    url: `${installedSourceUrl}${normalizeName(dist.name)}`,
    hashes: {},
    indexUrl: installedSourceUrl,
  });
  const listFiles = async (project: string, listOptions?: ListFilesOptions) => {
    const name = normalizeName(project);
    const dist = options.keep.has(name) ? byName.get(name) : undefined;
    if (dist === undefined) return inner.listFiles(project, listOptions);
    if (options.mode === "installed-only") return [pseudoFile(dist)];
    const files = await inner.listFiles(project, listOptions);
    const sameVersion = files.some((file) => file.filename.endsWith(".whl") && sameVersionAs(file.filename, dist.version));
    return sameVersion ? files : [pseudoFile(dist), ...files];
  };
  return {
    ...(inner.withoutFallbacks ? { withoutFallbacks: () => preferInstalled(inner.withoutFallbacks!(), options) } : {}),
    name: inner.name,
    url: inner.url,
    listFiles,
    // Projects not kept installed keep the inner source's lazily decoded listing.
    async listVersions(project: string, listOptions: ListVersionsOptions = {}) {
      const name = normalizeName(project);
      if (!options.keep.has(name) || !byName.has(name)) return listVersionedFiles(inner, project, listOptions);
      const { onStale: _hint, ...rest } = listOptions;
      return groupFilesByVersion(await listFiles(project, rest));
    },
    async fetchMetadata(file: DistributionFile, fetchOptions?: ListFilesOptions) {
      if (file.indexUrl !== installedSourceUrl) return inner.fetchMetadata(file, fetchOptions);
      const dist = byName.get(file.url.slice(installedSourceUrl.length));
      if (dist === undefined) throw new TypeError(`No installed distribution for ${file.url}`);
      return dist.metadata;
    },
    async fetchFile(file: DistributionFile, fetchOptions?: FetchFileOptions) {
      if (file.indexUrl !== installedSourceUrl) return inner.fetchFile(file, fetchOptions);
      throw new KilnError("installFailed", `Cannot download ${file.filename}: it stands for the installed copy, which has no wheel`, {
        hint: "Reinstall it from an index with --force-reinstall",
      });
    },
  };
}

function sameVersionAs(filename: string, version: string): boolean {
  try {
    const installed = tryParseVersion(version);
    return installed !== undefined && versionsEqual(parseWheelFilename(filename).version, installed);
  } catch {
    return false;
  }
}
