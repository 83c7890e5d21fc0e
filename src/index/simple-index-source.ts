import { KilnError } from "../core/index.js";
import type { DistributionFile } from "./distribution-file.js";
import { filterRequiresPython } from "./filter-requires-python.js";
import { fetchCoreMetadata } from "./fetch-core-metadata.js";
import type { HttpSession } from "./http-session.js";
import { parseName } from "../pep508/index.js";
import type { FetchFileOptions, ListFilesOptions, ListVersionsOptions, PackageSource } from "./package-source.js";
import { parseProjectPage, simpleApiAccept } from "./parse-project-page.js";
import { listingOfPage, pageOfListing, type ProjectListing, type ProjectPage } from "./project-page.js";
import { projectPageCodec } from "./project-page-codec.js";
import { redactUrl } from "./redact-url.js";
import { groupFilesByVersion, type VersionedFiles } from "./versioned-files.js";

/** Options for {@link SimpleIndexSource}. */
export interface SimpleIndexSourceOptions {
  /** The index's base URL, such as `https://pypi.org/simple/`; may carry `user:password@`. */
  url: string;
  session: HttpSession;
}

/**
 * A PEP 503 / PEP 691 simple repository (`--index-url`, `--extra-index-url`). Project pages are
 * negotiated (JSON preferred), cached with HTTP semantics and retried; relative links resolve
 * against the page's final URL after redirects.
 *
 * @example
 * const pypi = new SimpleIndexSource({ url: "https://pypi.org/simple/", session });
 * const files = await pypi.listFiles("packaging");
 */
export class SimpleIndexSource implements PackageSource {
  /** The index URL without credentials. */
  readonly url: string;
  readonly name: string;
  private readonly session: HttpSession;

  constructor(options: SimpleIndexSourceOptions) {
    this.session = options.session;
    this.url = withTrailingSlash(checkIndexUrl(options.session.registerCredentials(options.url.trim()), options.url));
    this.name = this.url;
  }

  async listFiles(project: string, options: ListFilesOptions = {}): Promise<DistributionFile[]> {
    const { pythonVersion, onStaleFiles, ...rest } = options;
    const filter = (files: DistributionFile[]) => (pythonVersion ? filterRequiresPython(files, pythonVersion) : files);
    const onStale = onStaleFiles && ((stale: VersionedFiles) => onStaleFiles(filter(stale.all())));
    const files = (await this.getListing(project, { ...rest, ...(onStale ? { onStale } : {}) }))?.files.all() ?? [];
    return filter(files);
  }

  async listVersions(project: string, options: ListVersionsOptions = {}): Promise<VersionedFiles> {
    return (await this.getListing(project, options))?.files ?? groupFilesByVersion([]);
  }

  /** The whole project page (PEP 700 `versions` included), or undefined when the index lacks it. */
  async getProjectPage(project: string, options: ListFilesOptions = {}): Promise<ProjectPage | undefined> {
    const listing = await this.getListing(project, { signal: options.signal });
    return listing && pageOfListing(listing);
  }

  private async getListing(project: string, options: ListVersionsOptions): Promise<ProjectListing | undefined> {
    const url = `${this.url}${parseName(project)}/`;
    const { onStale } = options;
    const listing = await this.session.getPage(url, {
      accept: simpleApiAccept,
      signal: options.signal,
      parse: (fetched) => listingOfPage(parseProjectPage(fetched.body, fetched.contentType, { url: fetched.url, indexUrl: this.url })),
      codec: projectPageCodec,
      onStale: onStale && ((stale) => onStale(stale.files)),
    });
    for (const warning of listing?.warnings ?? []) this.session.reporter.debug(warning);
    return listing;
  }

  fetchMetadata(file: DistributionFile, options: ListFilesOptions = {}): Promise<string> {
    return fetchCoreMetadata(this.session, file, options);
  }

  fetchFile(file: DistributionFile, options: FetchFileOptions = {}): Promise<Uint8Array> {
    return this.session.getFile(file.url, { hashes: file.hashes, signal: options.signal, onProgress: options.onProgress });
  }
}

function checkIndexUrl(url: string, original: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    parsed = new URL("invalid:");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new KilnError("invalidIndexUrl", `Cannot use "${redactUrl(original)}" as an index URL: not an http(s) URL`, {
      hint: "Index URLs look like https://pypi.org/simple/; use --find-links for a local directory",
    });
  }
  parsed.hash = "";
  return parsed.href;
}

function withTrailingSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}
