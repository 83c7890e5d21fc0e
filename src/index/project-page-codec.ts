import { KilnError } from "../core/index.js";
import type { DistributionFile } from "./distribution-file.js";
import type { PageCodec } from "./http-session.js";
import type { ProjectListing } from "./project-page.js";
import type { VersionedFiles } from "./versioned-files.js";

/** One file as stored: [filename, url, hashes, requiresPython, yanked, size, uploadTime, coreMetadata, indexUrl if not the page's], trailing blanks cut. */
type StoredFile = [string, string, string | Record<string, string>, ...Array<string | number | boolean | Record<string, string> | null>];

/** A byte range of the stored groups: [start, end). */
type Span = [number, number];

/** The header line: the page's fields, and where each version's group of files lies. */
interface StoredHeader {
  n?: string;
  a: string;
  i: string;
  v?: string[];
  w: string[];
  /** Version text and span of its group, in listing order. */
  g: Array<[string, ...Span]>;
  /** The span of the files whose names give no version, when there are any. */
  u?: Span;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * How the HTTP cache keeps a parsed project page: a JSON header line (the page's fields and, per
 * version, where its files lie), then each version's files as a compact JSON array. A cached page
 * then costs parsing its header, plus one small `JSON.parse` per version the resolver looks at,
 * instead of decoding thousands of files (pydantic-core's PEP 503 page is 5 MB, hypothesis' 2.7
 * MB). Within a page the index URL is stored once, a lone sha256 as its hex digest, and a URL that
 * ends in `/<filename>` without the filename. Changing the layout means changing `name`, which is
 * part of the cache key. The HTTP cache checks each record's sha256 before decoding, so a group
 * that fails to decode later is a defect of this codec, reported as such.
 *
 * @example
 * const listing = await session.getPage(url, { accept, parse: (page) => listingOfPage(parseProjectPage(…)), codec: projectPageCodec });
 */
export const projectPageCodec: PageCodec<ProjectListing> = {
  name: "project-page-2",
  encode(listing) {
    const { files } = listing;
    const indexUrl = (files.versions.length > 0 ? files.filesOf(files.versions[0]!)[0]?.indexUrl : files.all()[0]?.indexUrl) ?? "";
    const segments: Uint8Array[] = [];
    let offset = 0;
    const add = (group: readonly DistributionFile[]): Span => {
      const bytes = encoder.encode(JSON.stringify(group.map((file) => encodeFile(file, indexUrl))));
      segments.push(bytes);
      offset += bytes.byteLength;
      return [offset - bytes.byteLength, offset];
    };
    const header: StoredHeader = { a: listing.apiVersion, i: indexUrl, w: listing.warnings, g: files.versions.map((version) => [version, ...add(files.filesOf(version))]) };
    const versioned = new Set(files.versions.flatMap((version) => files.filesOf(version)));
    const unversioned = files.all().filter((file) => !versioned.has(file));
    if (unversioned.length > 0) header.u = add(unversioned);
    if (listing.name !== undefined) header.n = listing.name;
    if (listing.versions !== undefined) header.v = listing.versions;
    const head = encoder.encode(`${JSON.stringify(header)}\n`);
    const bytes = new Uint8Array(head.byteLength + offset);
    bytes.set(head);
    let at = head.byteLength;
    for (const segment of segments) {
      bytes.set(segment, at);
      at += segment.byteLength;
    }
    return bytes;
  },
  decode(bytes) {
    const newline = bytes.indexOf(10);
    if (newline < 0) throw new TypeError("not a stored project page");
    const header = JSON.parse(decoder.decode(bytes.subarray(0, newline))) as StoredHeader;
    const groups = bytes.subarray(newline + 1);
    checkHeader(header, groups.byteLength);
    const listing: ProjectListing = { apiVersion: header.a, warnings: header.w, files: lazyFiles(header, groups) };
    if (header.n !== undefined) listing.name = header.n;
    if (header.v !== undefined) listing.versions = header.v;
    return listing;
  },
};

function checkHeader(header: StoredHeader, size: number): void {
  const span = (value: unknown) => Array.isArray(value) && value.length === 2 && Number.isInteger(value[0]) && Number.isInteger(value[1]) && 0 <= value[0] && value[0] <= value[1] && value[1] <= size;
  const valid =
    typeof header === "object" && header !== null &&
    typeof header.a === "string" && typeof header.i === "string" && Array.isArray(header.w) && Array.isArray(header.g) &&
    header.g.every((group) => Array.isArray(group) && typeof group[0] === "string" && span(group.slice(1))) &&
    (header.u === undefined || span(header.u));
  if (!valid) throw new TypeError("not a stored project page");
}

/** The files of a stored page, each version's group decoded when first asked for. */
function lazyFiles(header: StoredHeader, groups: Uint8Array): VersionedFiles {
  const spans = new Map(header.g.map(([version, start, end]) => [version, [start, end] as Span]));
  const decoded = new Map<string, DistributionFile[]>();
  const groupOf = (key: string, span: Span | undefined): DistributionFile[] => {
    if (!span) return [];
    let files = decoded.get(key);
    if (!files) {
      files = decodeGroup(groups.subarray(span[0], span[1]), header.i);
      decoded.set(key, files);
    }
    return files;
  };
  const versions = header.g.map(([version]) => version);
  return {
    versions,
    filesOf: (version) => groupOf(`v${version}`, spans.get(version)),
    all: () => [...versions.flatMap((version) => groupOf(`v${version}`, spans.get(version))), ...groupOf("u", header.u)],
  };
}

function decodeGroup(bytes: Uint8Array, indexUrl: string): DistributionFile[] {
  try {
    const stored = JSON.parse(decoder.decode(bytes)) as StoredFile[];
    if (!Array.isArray(stored)) throw new TypeError("not an array");
    return stored.map((file) => decodeFile(file, indexUrl));
  } catch (error) {
    throw new KilnError("cacheIo", `Cannot read a cached page of ${indexUrl}: a group of its files does not decode (${String(error)})`, {
      hint: "Run `kiln cache clean` and try again",
      cause: error,
    });
  }
}

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
