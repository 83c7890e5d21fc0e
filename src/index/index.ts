/**
 * Package index clients, all I/O injected (an {@link HttpClient}, a cache store):
 *
 * - PEP 503 HTML and PEP 691 JSON project pages (https://peps.python.org/pep-0691/), negotiated
 *   with `Accept`; the API version (PEP 629) is checked: a newer major is an error, a newer minor
 *   a warning. Relative links resolve against the page's final URL after redirects, or its
 *   `<base href>`. PEP 503 HTML attribute values are HTML-escaped (`data-requires-python="&gt;=3.8"`).
 * - PEP 700 adds `versions`, `size` and `upload-time` (JSON only); PEP 592 `yanked` is a boolean
 *   or a reason.
 * - PEP 658 metadata files are used only when advertised (`core-metadata`, falling back to the
 *   older `dist-info-metadata` per PEP 714); the advertised hash is that of the metadata file, not
 *   the wheel. PyPI's HTML API does not advertise them, so wheels are read with HTTP range
 *   requests (one suffix request usually covers the zip directory and METADATA).
 * - Several sources combine first-index-wins by default (dependency confusion).
 * - Pyodide's own repository is a `pyodide-lock.json` whose `file_name`s are relative to the lock
 *   file's URL; `shared_library` entries and `-tests` bundles are zips without core metadata.
 *   It is a fallback source (`CombineSourcesOptions.fallbacks`): `withoutFallbacks()` gives the
 *   combination the resolver tries first.
 * - A stale cached page is offered as a hint while it is revalidated (`onStaleFiles`), so a
 *   client can prefetch what it leads to during the round trip.
 * - Cached pages keep their files grouped by the version in their filenames and decode a group
 *   only when asked (`listVersions`, `VersionedFiles`): a resolver reads a few versions of
 *   projects that list thousands of wheels.
 * - `--find-links` lists every project's files in one directory or page; files are matched to a
 *   project by their name prefix.
 */
export type { DistributionFile, PyodidePackageInfo } from "./distribution-file.js";
export type { PackageSource, ListFilesOptions, ListVersionsOptions, FetchFileOptions } from "./package-source.js";
export { groupFilesByVersion, mergeVersionedFiles, hasUsableFile, versionTextOf, type VersionedFiles } from "./versioned-files.js";
export { listVersionedFiles } from "./list-versioned-files.js";
export type { HttpClient, HttpRequest, HttpResponse } from "./http-client.js";
export { fetchHttpClient, type FetchHttpClientOptions } from "./fetch-http-client.js";
export { readBody, concatBytes, type ReadBodyOptions } from "./read-body.js";
export { requireProgress, minimumProgressBytes } from "./require-progress.js";
export { HttpStatusError } from "./http-status-error.js";
export { withRetries, isRetryable, defaultRetryPolicy, type RetryPolicy, type WithRetriesOptions } from "./with-retries.js";
export { defaultIdleTimeoutMs, HttpSession, type HttpSessionOptions, type FetchedPage, type PageCodec, type GetPageOptions } from "./http-session.js";
export { projectPageCodec } from "./project-page-codec.js";
export { scanHtml, decodeHtmlEntities, type HtmlToken } from "./scan-html.js";
export { parseSimpleHtml } from "./parse-simple-html.js";
export { parseSimpleJson } from "./parse-simple-json.js";
export { parseProjectPage, simpleApiAccept } from "./parse-project-page.js";
export { listingOfPage, pageOfListing, type ProjectPage, type ProjectListing, type PageLocation } from "./project-page.js";
export { checkApiVersion, supportedApiVersion } from "./api-version.js";
export { resolveFileUrl, isSafeFilename, urlFileName } from "./file-url.js";
export { redactUrl } from "./redact-url.js";
export { splitUrlCredentials, basicAuthorization, type Credentials } from "./url-credentials.js";
export { verifyHashes } from "./verify-hashes.js";
export { HttpRangeSource, parseContentRange, type HttpRangeSourceOptions } from "./http-range-source.js";
export { fetchFileSize } from "./fetch-file-size.js";
export { readWheelMetadata } from "./read-wheel-metadata.js";
export { fetchCoreMetadata, type FetchCoreMetadataOptions } from "./fetch-core-metadata.js";
export { SimpleIndexSource, type SimpleIndexSourceOptions } from "./simple-index-source.js";
export { combineSources, type CombineSourcesOptions, type IndexStrategy } from "./combine-sources.js";
export { parsePyodideLock, type PyodideLock, type PyodideLockPackage } from "./parse-pyodide-lock.js";
export { PyodideLockSource, pyodideCdnUrl, type PyodideLockSourceOptions } from "./pyodide-lock-source.js";
export type { LocalFiles } from "./local-files.js";
export { FindLinksSource, type FindLinksSourceOptions } from "./find-links-source.js";
export { filterRequiresPython } from "./filter-requires-python.js";
export { parsePipConfig } from "./parse-pip-config.js";
export {
  resolveIndexSettings,
  toLocationUrl,
  defaultIndexUrl,
  type IndexSettings,
  type IndexFlags,
  type IndexSettingsInputs,
  type ConfigFile,
} from "./index-settings.js";
export { buildPackageSource, type BuildPackageSourceOptions } from "./build-package-source.js";
