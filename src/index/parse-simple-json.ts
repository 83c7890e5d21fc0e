import { KilnError } from "../core/index.js";
import { checkApiVersion } from "./api-version.js";
import type { DistributionFile } from "./distribution-file.js";
import { isSafeFilename, resolveFileUrl } from "./file-url.js";
import type { PageLocation, ProjectPage } from "./project-page.js";

/**
 * Parses a PEP 691 project page (`application/vnd.pypi.simple.v1+json`): `meta.api-version` is
 * required and checked, `url`s may be relative to the page's final URL, `yanked` is a boolean or
 * a reason, `core-metadata` (falling back to `dist-info-metadata`, PEP 714) is a boolean or the
 * metadata file's hashes, and PEP 700 adds `versions`, `size` and `upload-time`. A page of the
 * wrong shape is an `invalidIndexPage` error naming the field; a file with an unusable URL or
 * file name is skipped with a warning.
 *
 * @example
 * const page = parseSimpleJson('{"meta":{"api-version":"1.1"},"name":"demo","files":[],"versions":["1.0"]}', {
 *   url: "https://example.org/simple/demo/",
 *   indexUrl: "https://example.org/simple/",
 * });
 * page.versions; // ["1.0"]
 */
export function parseSimpleJson(text: string, location: PageLocation): ProjectPage {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw invalid(location, `not JSON (${(error as Error).message})`);
  }
  if (!isObject(document)) throw invalid(location, "the document is not a JSON object");
  const meta = document.meta;
  if (!isObject(meta) || typeof meta["api-version"] !== "string") throw invalid(location, "meta.api-version is missing");
  const apiVersion = meta["api-version"];
  const warnings: string[] = [];
  const warning = checkApiVersion(apiVersion, location.url);
  if (warning) warnings.push(warning);
  if (!Array.isArray(document.files)) throw invalid(location, "files is not a list");
  const files: DistributionFile[] = [];
  document.files.forEach((entry, index) => {
    const file = parseFile(entry, index, location);
    if (typeof file === "string") warnings.push(file);
    else files.push(file);
  });
  const page: ProjectPage = { apiVersion, files, warnings };
  if (typeof document.name === "string") page.name = document.name;
  if (document.versions !== undefined) {
    if (!Array.isArray(document.versions) || !document.versions.every((v) => typeof v === "string")) {
      throw invalid(location, "versions is not a list of strings");
    }
    page.versions = document.versions;
  }
  return page;
}

function parseFile(entry: unknown, index: number, location: PageLocation): DistributionFile | string {
  const where = `files[${index}]`;
  if (!isObject(entry)) throw invalid(location, `${where} is not an object`);
  const { filename, url } = entry;
  if (typeof filename !== "string") throw invalid(location, `${where}.filename is not a string`);
  if (typeof url !== "string") throw invalid(location, `${where}.url is not a string`);
  const resolved = resolveFileUrl(url, location.url);
  if (!resolved || !isSafeFilename(filename)) {
    return `Skipped ${where} ("${filename.slice(0, 200)}") on ${location.url}: not a usable file URL or name`;
  }
  const file: DistributionFile = {
    filename,
    url: resolved.url,
    hashes: { ...resolved.hashes, ...parseHashes(entry.hashes, `${where}.hashes`, location) },
    indexUrl: location.indexUrl,
  };
  const requiresPython = entry["requires-python"];
  if (typeof requiresPython === "string" && requiresPython.trim()) file.requiresPython = requiresPython.trim();
  else if (requiresPython !== undefined && requiresPython !== null && typeof requiresPython !== "string") {
    throw invalid(location, `${where}.requires-python is not a string`);
  }
  const yanked = entry.yanked;
  if (typeof yanked === "boolean") file.yanked = yanked;
  else if (typeof yanked === "string") file.yanked = yanked === "" ? true : yanked;
  else if (yanked !== undefined) throw invalid(location, `${where}.yanked is neither a boolean nor a string`);
  const metadata = entry["core-metadata"] ?? entry["dist-info-metadata"];
  if (typeof metadata === "boolean") file.coreMetadata = metadata;
  else if (metadata !== undefined) file.coreMetadata = parseHashes(metadata, `${where}.core-metadata`, location);
  const size = entry.size;
  if (typeof size === "number" && Number.isSafeInteger(size) && size >= 0) file.size = size;
  else if (size !== undefined) throw invalid(location, `${where}.size is not a non-negative integer`);
  const uploadTime = entry["upload-time"];
  if (typeof uploadTime === "string") file.uploadTime = uploadTime;
  else if (uploadTime !== undefined && uploadTime !== null) throw invalid(location, `${where}.upload-time is not a string`);
  return file;
}

function parseHashes(value: unknown, where: string, location: PageLocation): Record<string, string> {
  if (value === undefined) return {};
  if (!isObject(value)) throw invalid(location, `${where} is not an object`);
  const hashes: Record<string, string> = {};
  for (const [name, digest] of Object.entries(value)) {
    if (typeof digest !== "string") throw invalid(location, `${where}.${name} is not a string`);
    if (/^[0-9A-Fa-f]+$/.test(digest)) hashes[name.toLowerCase()] = digest.toLowerCase();
  }
  return hashes;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function invalid(location: PageLocation, problem: string): KilnError {
  return new KilnError("invalidIndexPage", `Cannot parse the index page ${location.url}: ${problem}`, {
    hint: "The index sent a malformed PEP 691 JSON page; check the index URL or report it to the index's operator",
  });
}
