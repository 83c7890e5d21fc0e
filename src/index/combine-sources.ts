import { KilnError } from "../core/index.js";
import type { DistributionFile } from "./distribution-file.js";
import { filterRequiresPython } from "./filter-requires-python.js";
import { listVersionedFiles } from "./list-versioned-files.js";
import type { FetchFileOptions, ListFilesOptions, ListVersionsOptions, PackageSource } from "./package-source.js";
import { hasUsableFile, mergeVersionedFiles, type VersionedFiles } from "./versioned-files.js";

/**
 * How several sources are consulted for one project:
 * - `first-index` (the default): the first source, in order, that lists any file for the
 *   project is the only one used for it. A package on a private index can then not be shadowed
 *   by a same-named upload to a public one (dependency confusion).
 * - `unsafe-best-match`: every source's files are offered together, as pip does; the name says
 *   what it risks.
 */
export type IndexStrategy = "first-index" | "unsafe-best-match";

/** Options for {@link combineSources}. */
export interface CombineSourcesOptions {
  strategy?: IndexStrategy;
  /**
   * Trusted sources consulted for a project only when the primary sources offer no file the
   * caller can use (`ListFilesOptions.isUsable`; without it, no file at all): the runtime's own
   * Pyodide repository, which fills in packages the indexes have no wasm wheels for (numpy)
   * without pinning everything else to its older builds.
   */
  fallbacks?: PackageSource[];
}

/**
 * One {@link PackageSource} over several, in priority order, plus trusted fallbacks for projects
 * the others cannot serve (see {@link CombineSourcesOptions.fallbacks}). Files are routed back to the
 * source that listed them (by `indexUrl`) for metadata and downloads. A failing source is an
 * error, not a reason to ask the next one: silently falling through to a public index when a
 * private one is down is exactly how dependency confusion happens.
 *
 * @example
 * const sources = combineSources([privateIndex, pypi]);
 * await sources.listFiles("internal-tool"); // only privateIndex's files, if it has any
 */
export function combineSources(sources: PackageSource[], options: CombineSourcesOptions = {}): PackageSource {
  const strategy = options.strategy ?? "first-index";
  const fallbacks = options.fallbacks ?? [];
  const everySource = [...sources, ...fallbacks];
  const owner = (file: DistributionFile): PackageSource => {
    // A combined source's url lists its members' urls, space-separated: nested combinations
    // (a direct-files source over the configured indexes) still route to the member that listed the file.
    const found = everySource.find((s) => s.url === file.indexUrl || s.url.split(" ").includes(file.indexUrl));
    if (!found) {
      throw new KilnError("invalidIndexPage", `Cannot fetch ${file.filename}: it comes from ${file.indexUrl}, which is not configured`, {
        hint: "Files must be fetched through the source that listed them",
      });
    }
    return found;
  };
  const listPrimary = async (project: string, rest: ListFilesOptions): Promise<DistributionFile[]> => {
    const all: DistributionFile[] = [];
    for (const source of sources) {
      const files = await source.listFiles(project, rest);
      if (strategy === "first-index" && files.length > 0) return files;
      all.push(...files);
    }
    return all;
  };
  const listPrimaryVersions = async (project: string, rest: ListVersionsOptions): Promise<VersionedFiles> => {
    const all: VersionedFiles[] = [];
    for (const source of sources) {
      const listing = await listVersionedFiles(source, project, rest);
      if (strategy === "first-index" && hasAnyFile(listing)) return listing;
      all.push(listing);
    }
    return mergeVersionedFiles(all);
  };
  const withFallbacks = fallbacks.length > 0 || sources.some((s) => s.withoutFallbacks);
  return {
    ...(withFallbacks ? { withoutFallbacks: () => combineSources(sources.map((s) => s.withoutFallbacks?.() ?? s), { strategy }) } : {}),
    name: [...sources.map((s) => s.name), ...fallbacks.map((s) => `${s.name} (fallback)`)].join(", "),
    url: everySource.map((s) => s.url).join(" "),
    async listFiles(project: string, listOptions?: ListFilesOptions) {
      const { pythonVersion, isUsable, ...rest } = listOptions ?? {};
      const filter = (files: DistributionFile[]) => (pythonVersion ? filterRequiresPython(files, pythonVersion) : files);
      const usable = (files: DistributionFile[]) => (isUsable ? hasUsable(filter(files), isUsable) : files.length > 0);
      const primary = await listPrimary(project, rest);
      if (fallbacks.length === 0 || usable(primary)) return filter(primary);
      for (const fallback of fallbacks) {
        const files = await fallback.listFiles(project, rest);
        if (usable(files)) return filter(files);
      }
      return filter(primary);
    },
    async listVersions(project: string, listOptions?: ListVersionsOptions) {
      const { isUsable, ...rest } = listOptions ?? {};
      const usable = (listing: VersionedFiles) => (isUsable ? hasUsableFile(listing, isUsable) : hasAnyFile(listing));
      const primary = await listPrimaryVersions(project, rest);
      if (fallbacks.length === 0 || usable(primary)) return primary;
      for (const fallback of fallbacks) {
        const listing = await listVersionedFiles(fallback, project, rest);
        if (usable(listing)) return listing;
      }
      return primary;
    },
    fetchMetadata: (file: DistributionFile, fetchOptions?: ListFilesOptions) => owner(file).fetchMetadata(file, fetchOptions),
    fetchFile: (file: DistributionFile, fetchOptions?: FetchFileOptions) => owner(file).fetchFile(file, fetchOptions),
  };
}

/** Newest files come last on index pages, and they are the likeliest to fit: look from the end. */
function hasUsable(files: readonly DistributionFile[], isUsable: (file: DistributionFile) => boolean): boolean {
  for (let index = files.length - 1; index >= 0; index--) if (isUsable(files[index]!)) return true;
  return false;
}

/** Whether a listing has any file at all (a group, or a file whose name gives no version). */
function hasAnyFile(listing: VersionedFiles): boolean {
  return listing.versions.length > 0 || listing.all().length > 0;
}
