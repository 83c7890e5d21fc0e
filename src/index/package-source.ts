import type { DistributionFile } from "./distribution-file.js";
import type { VersionedFiles } from "./versioned-files.js";

/** Options for {@link PackageSource.listFiles}. */
export interface ListFilesOptions {
  /** Aborts the request. */
  signal?: AbortSignal;
  /**
   * The target Python version (such as `3.14.2`): files whose `requires-python` excludes it are
   * left out. With several sources, the source is chosen before this filter applies, so an
   * index whose files all need another Python still owns the project.
   */
  pythonVersion?: string;
  /**
   * Whether the caller could install a file (its tags fit the target). With fallback sources
   * (see `combineSources`), a project whose primary listing has no usable file is looked up in
   * the fallbacks instead.
   */
  isUsable?: (file: DistributionFile) => boolean;
  /**
   * Called at most once, before the listing settles, with the files of a cached copy that the
   * source is revalidating (HTTP says it is stale): a hint to start prefetching what the listing
   * will probably lead to, while the request is under way. Never an answer: the listing itself
   * is the revalidated one. Sources without an HTTP cache never call it.
   */
  onStaleFiles?: (files: DistributionFile[]) => void;
}

/** Options for {@link PackageSource.listVersions}: those of `listFiles` but `pythonVersion`, with the stale hint as a listing. */
export interface ListVersionsOptions extends Omit<ListFilesOptions, "pythonVersion" | "onStaleFiles"> {
  /** As {@link ListFilesOptions.onStaleFiles}; an unchanged page's answer is this very listing. */
  onStale?: (listing: VersionedFiles) => void;
}

/** Options for {@link PackageSource.fetchFile}. */
export interface FetchFileOptions {
  signal?: AbortSignal;
  /** Called with the number of bytes received so far, for progress bars. */
  onProgress?: (receivedBytes: number, totalBytes: number | undefined) => void;
}

/**
 * Where distributions come from: a PEP 503/691 index, a find-links location or Pyodide's lock
 * file. Implementations cache, retry and verify hashes; callers see only typed results and
 * `KilnError`s.
 *
 * @example
 * const files = await source.listFiles("packaging");
 * const metadata = await source.fetchMetadata(files.at(-1)!);
 * const wheel = await source.fetchFile(files.at(-1)!);
 */
export interface PackageSource {
  /** A human-readable name for messages: the index URL or directory. */
  readonly name: string;
  /**
   * The `indexUrl` the source's files carry (credentials removed), so a combination of sources
   * can route a file back to the source that listed it.
   */
  readonly url: string;
  /**
   * Every file the source offers for the project (a PEP 503 normalized name); an empty list when
   * the source does not have the project (HTTP 404). Yanked files are included and marked.
   */
  listFiles(project: string, options?: ListFilesOptions): Promise<DistributionFile[]>;
  /**
   * The same files grouped by version, decoded group by group (see {@link VersionedFiles}):
   * what a resolver reads. Optional: {@link listVersionedFiles} groups `listFiles` for sources
   * without it.
   */
  listVersions?(project: string, options?: ListVersionsOptions): Promise<VersionedFiles>;
  /**
   * The raw core metadata (`METADATA` / `PKG-INFO` text) of a file, read as cheaply as possible:
   * a PEP 658 metadata file, else HTTP range requests into the wheel, else the whole file.
   */
  fetchMetadata(file: DistributionFile, options?: ListFilesOptions): Promise<string>;
  /** The file's bytes, verified against its listed hashes (the strongest one given). */
  fetchFile(file: DistributionFile, options?: FetchFileOptions): Promise<Uint8Array>;
  /**
   * The same source without its fallback sources (the runtime's Pyodide repository), present
   * only when it has some: the resolver first tries the requirements without them.
   */
  withoutFallbacks?(): PackageSource;
}
