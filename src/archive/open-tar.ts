import { KilnError } from "../core/index.js";
import { gunzipBounded } from "./gunzip-bounded.js";
import { safeEntryPath } from "./safe-entry-path.js";
import { checkTarLinks } from "./check-tar-links.js";
import { invalidTar, isZeroBlock, parsePaxRecords, parseTarHeader, tarBlockSize } from "./tar-header.js";

/** One entry of a tar archive, after pax and GNU long names and hard links are applied. */
export interface TarEntry {
  /** Normalized relative path (see {@link safeEntryPath}), without a trailing slash. */
  path: string;
  /** Hard links are returned as files holding their target's data. */
  type: "file" | "directory" | "symlink";
  /** Permission bits, such as 0o644. */
  mode: number;
  /** The file's bytes (a view into the archive); empty for directories and links. */
  data: Uint8Array;
  /** For a symlink: its target as stored, relative to the link's own directory. */
  linkTarget?: string;
}

/** A tar archive read into memory. */
export interface TarArchive {
  /** Every entry in archive order; a later entry with the same path replaces an earlier one when extracted. */
  entries: TarEntry[];
  /** The last entry with this normalized path. */
  get(path: string): TarEntry | undefined;
}

/** Options for {@link openTar}. */
export interface OpenTarOptions {
  /** What the archive is, for messages (a file name). */
  name: string;
  /** Largest uncompressed archive accepted, in bytes; default 1 GiB. */
  maxSize?: number;
  /** Most entries accepted; default 200,000. */
  maxEntries?: number;
}

// pax and GNU long-name headers hold a name or a few key/values, never megabytes.
const maxMetaSize = 1 << 20;

interface Pending {
  pax?: Map<string, string>;
  longName?: string;
  longLink?: string;
}

/**
 * Reads a tar archive, gzip-compressed (`.tar.gz`, as sdists are) or not, from bytes. ustar, pax
 * (`path`, `linkpath`, `size`) and GNU (`L`/`K` long names, base-256 numbers) headers are
 * understood. Every path is checked with {@link safeEntryPath}; links must stay inside the
 * archive (see {@link checkTarLinks}); device files, FIFOs and sparse files are refused; sizes
 * and counts are bounded.
 *
 * @example
 * const archive = await openTar(bytes, { name: "pkg-1.0.tar.gz" });
 * const pyproject = archive.get("pkg-1.0/pyproject.toml")?.data;
 */
export async function openTar(bytes: Uint8Array, options: OpenTarOptions): Promise<TarArchive> {
  const maxSize = options.maxSize ?? 2 ** 30;
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const tar = gzipped ? await gunzipBounded(bytes, { maxSize, name: options.name }) : bytes;
  if (!gzipped && tar.length > maxSize) {
    throw new KilnError("archiveTooLarge", `Cannot read tar archive "${options.name}": it is larger than ${maxSize} bytes`, {
      hint: "If the archive is genuine, raise the size limit",
    });
  }
  const entries = readEntries(tar, options.name, options.maxEntries ?? 200_000);
  checkTarLinks(entries, options.name);
  const byPath = new Map(entries.map((entry) => [entry.path, entry]));
  return { entries, get: (path) => byPath.get(path) };
}

function readEntries(tar: Uint8Array, archive: string, maxEntries: number): TarEntry[] {
  const entries: TarEntry[] = [];
  const files = new Map<string, TarEntry>();
  let pending: Pending = {};
  let at = 0;
  while (at < tar.length) {
    if (at + tarBlockSize > tar.length) throw invalidTar(archive, `it ends inside a header at offset ${at}`);
    const block = tar.subarray(at, at + tarBlockSize);
    if (isZeroBlock(block)) break;
    const header = parseTarHeader(block, archive);
    const size = pending.pax?.has("size") ? paxSize(pending.pax.get("size")!, archive) : header.size;
    const start = at + tarBlockSize;
    if (size > tar.length - start) throw invalidTar(archive, `the entry "${header.name}" is truncated`);
    const data = tar.subarray(start, start + size);
    at = start + Math.ceil(size / tarBlockSize) * tarBlockSize;
    if (isMeta(header.type)) {
      if (size > maxMetaSize) throw invalidTar(archive, `an extended header is ${size} bytes long`);
      pending = applyMeta(pending, header.type, data, archive);
      continue;
    }
    const entry = toEntry({ header, data, pending, archive, files });
    pending = {};
    if (entry === undefined) continue;
    if (entries.length >= maxEntries) {
      throw new KilnError("archiveTooLarge", `Cannot read tar archive "${archive}": it has more than ${maxEntries} entries`, {
        hint: "The archive is hostile or unusually large; if it is genuine, raise the entry limit",
      });
    }
    entries.push(entry);
    if (entry.type === "file") files.set(entry.path, entry);
    else files.delete(entry.path);
  }
  return entries;
}

function isMeta(type: string): boolean {
  return type === "x" || type === "g" || type === "L" || type === "K";
}

function paxSize(value: string, archive: string): number {
  if (!/^[0-9]{1,15}$/.test(value)) throw invalidTar(archive, `a pax header gives the size "${value}"`);
  return Number(value);
}

function applyMeta(pending: Pending, type: string, data: Uint8Array, archive: string): Pending {
  if (type === "x") return { ...pending, pax: new Map([...(pending.pax ?? []), ...parsePaxRecords(data, archive)]) };
  // Global pax headers ('g') carry defaults such as mtime; none of them matter to kiln.
  if (type === "g") return pending;
  const end = data.indexOf(0);
  const value = new TextDecoder().decode(end === -1 ? data : data.subarray(0, end));
  return type === "L" ? { ...pending, longName: value } : { ...pending, longLink: value };
}

interface EntryInput {
  header: ReturnType<typeof parseTarHeader>;
  data: Uint8Array;
  pending: Pending;
  archive: string;
  files: Map<string, TarEntry>;
}

/** {@link safeEntryPath}, with the archive named in the message. */
function entryPath(name: string, archive: string): string {
  try {
    return safeEntryPath(name);
  } catch (error) {
    if (!(error instanceof KilnError)) throw error;
    throw new KilnError(error.code, `${error.message} in tar archive "${archive}"`, { hint: error.hint, cause: error });
  }
}

function toEntry({ header, data, pending, archive, files }: EntryInput): TarEntry | undefined {
  const path = (name: string) => entryPath(name, archive);
  const name = pending.pax?.get("path") ?? pending.longName ?? header.name;
  const link = pending.pax?.get("linkpath") ?? pending.longLink ?? header.linkName;
  switch (header.type) {
    case "0":
    case "7":
      return { path: path(name), type: "file", mode: header.mode, data };
    case "5":
      return { path: path(name), type: "directory", mode: header.mode, data: data.subarray(0, 0) };
    case "2":
      if (link === "") throw invalidTar(archive, `the symbolic link "${name}" has no target`);
      return { path: path(name), type: "symlink", mode: header.mode, data: data.subarray(0, 0), linkTarget: link };
    case "1": {
      const target = files.get(path(link));
      if (!target) throw invalidTar(archive, `the hard link "${name}" points to "${link}", which is not an earlier file in the archive`);
      return { path: path(name), type: "file", mode: header.mode, data: target.data };
    }
    case "V":
      return undefined;
    default:
      throw new KilnError("unsupportedTar", `Cannot read tar archive "${archive}": the entry "${name}" is ${describeType(header.type)}`, {
        hint: "Source distributions hold only files, directories and links; do not use this archive",
      });
  }
}

function describeType(type: string): string {
  const names: Record<string, string> = { "3": "a character device", "4": "a block device", "6": "a FIFO", S: "a GNU sparse file" };
  return names[type] ?? `of unknown type ${JSON.stringify(type)}`;
}
