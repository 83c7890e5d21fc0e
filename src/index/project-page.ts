import type { DistributionFile } from "./distribution-file.js";
import { groupFilesByVersion, type VersionedFiles } from "./versioned-files.js";

/**
 * A project's page on a simple repository, in either serialization (PEP 503 HTML or PEP 691
 * JSON), with every URL made absolute.
 *
 * @example
 * const page = parseSimpleJson(text, { url: "https://example.org/simple/demo/", indexUrl: "https://example.org/simple/" });
 * page.files[0]?.filename;
 */
export interface ProjectPage {
  /** The name the page declares (PEP 691 `name`); undefined for HTML. */
  name?: string;
  /** PEP 629/691 `api-version`, such as `1.1`; `1.0` when the page does not say. */
  apiVersion: string;
  files: DistributionFile[];
  /** PEP 700 `versions` (JSON only); includes versions that have no files. */
  versions?: string[];
  /** Warnings worth showing with `-v`: skipped entries, a newer minor API version. */
  warnings: string[];
}

/** Where a page came from: needed to resolve relative URLs and label files. */
export interface PageLocation {
  /** The final URL the page was served from, after redirects. */
  url: string;
  /** The index (or find-links location) the page belongs to, copied to each file. */
  indexUrl: string;
}

/**
 * A project page with its files grouped by version ({@link VersionedFiles}): what the HTTP cache
 * keeps (see `projectPageCodec`), so a cached page is decoded one version at a time.
 *
 * @example
 * const listing = listingOfPage(parseSimpleHtml(html, location));
 * listing.files.versions;
 */
export interface ProjectListing extends Omit<ProjectPage, "files"> {
  files: VersionedFiles;
}

/**
 * A parsed page as a {@link ProjectListing}.
 *
 * @example
 * listingOfPage({ apiVersion: "1.0", files, warnings: [] }).files.filesOf("1.0");
 */
export function listingOfPage(page: ProjectPage): ProjectListing {
  return { ...page, files: groupFilesByVersion(page.files) };
}

/**
 * A {@link ProjectListing} with every file decoded, as a {@link ProjectPage}.
 *
 * @example
 * pageOfListing(listing).files.length;
 */
export function pageOfListing(listing: ProjectListing): ProjectPage {
  return { ...listing, files: listing.files.all() };
}
