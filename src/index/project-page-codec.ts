import type { DistributionFile } from "./distribution-file.js";
import type { PageCodec } from "./http-session.js";
import type { ProjectPage } from "./project-page.js";

/** One file as stored: [filename, url, hashes, requiresPython, yanked, size, uploadTime, coreMetadata, indexUrl if not the page's], trailing blanks cut. */
type StoredFile = [string, string, string | Record<string, string>, ...Array<string | number | boolean | Record<string, string> | null>];

interface StoredPage {
  n?: string;
  a: string;
  i: string;
  v?: string[];
  w: string[];
  f: StoredFile[];
}

/**
 * How the HTTP cache keeps a parsed project page: compact JSON of its files instead of the
 * page's HTML or JSON, so a cached page costs a `JSON.parse` rather than a parse of a
 * multi-megabyte page (hypothesis' PEP 503 page is 2.7 MB). Within a page the index URL is
 * stored once, a lone sha256 as its hex digest, and a URL that ends in `/<filename>` without
 * the filename. Changing the layout means changing `name`, which is part of the cache key.
 *
 * @example
 * const page = await session.getPage(url, { accept, parse, codec: projectPageCodec });
 */
export const projectPageCodec: PageCodec<ProjectPage> = {
  name: "project-page-1",
  encode(page) {
    const indexUrl = page.files[0]?.indexUrl ?? "";
    const stored: StoredPage = { a: page.apiVersion, i: indexUrl, w: page.warnings, f: page.files.map((file) => encodeFile(file, indexUrl)) };
    if (page.name !== undefined) stored.n = page.name;
    if (page.versions !== undefined) stored.v = page.versions;
    return new TextEncoder().encode(JSON.stringify(stored));
  },
  decode(bytes) {
    const stored = JSON.parse(new TextDecoder().decode(bytes)) as StoredPage;
    if (!Array.isArray(stored.f) || typeof stored.a !== "string") throw new TypeError("not a stored project page");
    const page: ProjectPage = { apiVersion: stored.a, warnings: stored.w ?? [], files: stored.f.map((file) => decodeFile(file, stored.i)) };
    if (stored.n !== undefined) page.name = stored.n;
    if (stored.v !== undefined) page.versions = stored.v;
    return page;
  },
};

function encodeFile(file: DistributionFile, indexUrl: string): StoredFile {
  const hashKeys = Object.keys(file.hashes);
  const hashes = hashKeys.length === 1 && hashKeys[0] === "sha256" ? file.hashes.sha256! : file.hashes;
  let url = file.url;
  if (url.endsWith(`/${file.filename}`)) url = url.slice(0, -file.filename.length);
  else if (url.endsWith("/")) url += "#";
  const stored: StoredFile = [file.filename, url, hashes, file.requiresPython ?? null, file.yanked ?? null, file.size ?? null, file.uploadTime ?? null, file.coreMetadata ?? null, file.indexUrl === indexUrl ? null : file.indexUrl];
  while (stored.length > 3 && stored[stored.length - 1] === null) stored.pop();
  return stored;
}

function decodeFile(stored: StoredFile, indexUrl: string): DistributionFile {
  const [filename, storedUrl, hashes, requiresPython, yanked, size, uploadTime, coreMetadata, ownIndexUrl] = stored;
  if (typeof filename !== "string" || typeof storedUrl !== "string") throw new TypeError("not a stored file");
  const url = storedUrl.endsWith("/") ? storedUrl + filename : storedUrl.endsWith("#") ? storedUrl.slice(0, -1) : storedUrl;
  const file: DistributionFile = { filename, url, hashes: typeof hashes === "string" ? { sha256: hashes } : { ...hashes }, indexUrl: typeof ownIndexUrl === "string" ? ownIndexUrl : indexUrl };
  if (typeof requiresPython === "string") file.requiresPython = requiresPython;
  if (yanked !== null && yanked !== undefined) file.yanked = yanked as DistributionFile["yanked"];
  if (typeof size === "number") file.size = size;
  if (typeof uploadTime === "string") file.uploadTime = uploadTime;
  if (coreMetadata !== null && coreMetadata !== undefined) file.coreMetadata = coreMetadata as DistributionFile["coreMetadata"];
  return file;
}
