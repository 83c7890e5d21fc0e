import { KilnError, sameBytes } from "../core/index.js";
import { crc32 } from "./crc32.js";
import { inflateEntry } from "./inflate-bounded.js";
import { readRange, type RandomAccessSource } from "./random-access-source.js";
import { locateCentralDirectory, parseCentralDirectory, type DirectoryEntry } from "./zip-directory.js";
import type { ZipEntry } from "./zip-entry.js";

/** Limits that keep a hostile archive from exhausting memory. */
export interface OpenZipOptions {
  /** Largest uncompressed size of one entry kiln will read; default 1 GiB. */
  maxEntrySize?: number;
  /** Most entries an archive may have; default 1,000,000. */
  maxEntries?: number;
  /**
   * Largest sum of the entries' uncompressed sizes; default 2 GiB. Checked at open from the
   * central directory (reads enforce each declared size), so a bomb of many entries, each under
   * `maxEntrySize`, is refused before anything is inflated: an installer holds a wheel's files
   * in memory until they are staged.
   */
  maxTotalSize?: number;
  /**
   * Native codecs of the platform, when it has faster ones than the portable code (Node's
   * `zlib.crc32` and `zlib.inflateRawSync`). `inflateRaw` must stop at `maxOutputLength` bytes
   * (throwing beyond it), so a lying size still cannot make kiln allocate without bound.
   */
  codecs?: ZipCodecs;
}

/** Platform-provided checksum, inflater and byte comparison for {@link OpenZipOptions.codecs}. */
export interface ZipCodecs {
  crc32?: (bytes: Uint8Array) => number;
  inflateRaw?: (compressed: Uint8Array, maxOutputLength: number) => Uint8Array;
  /** True when two byte ranges are equal (a native `memcmp`), to recognise identical entries. */
  equal?: (a: Uint8Array, b: Uint8Array) => boolean;
}

/** An opened zip archive: its entries, and a way to read each. */
export interface ZipArchive {
  /** Entries in central-directory order. */
  readonly entries: readonly ZipEntry[];
  /** The archive comment (usually empty). */
  readonly comment: string;
  /** The entry with exactly this name, if any. */
  getEntry(name: string): ZipEntry | undefined;
  /**
   * Reads and decompresses an entry (given by object or name), checking its size and CRC-32.
   * Reads the local header and data in one range of the source. The result may be shared
   * (with the source's bytes for a stored entry, with an identical entry's result): do not
   * modify it.
   */
  readEntry(entry: ZipEntry | string): Promise<Uint8Array>;
}

const localHeaderLength = 30;
const localSignature = 0x04034b50;
// Read a little past the expected local extra field so a slightly longer one (zip64, alignment
// padding) rarely needs a second request.
const localSlack = 256;

/**
 * Opens a zip archive: reads the end records and the central directory from the tail of the
 * source (usually one read), and nothing else until an entry is read. Zip64 is supported;
 * multi-disk and encrypted archives are refused. Duplicate names and overlapping entries are
 * refused, because tools would disagree about which content is meant.
 *
 * @example
 * const archive = await openZip(bytesSource(wheelBytes));
 * const metadata = await archive.readEntry("pkg-1.0.dist-info/METADATA");
 */
export async function openZip(source: RandomAccessSource, options: OpenZipOptions = {}): Promise<ZipArchive> {
  const maxEntrySize = options.maxEntrySize ?? 1024 ** 3;
  const maxEntries = options.maxEntries ?? 1_000_000;
  const location = await locateCentralDirectory(source);
  if (location.count > maxEntries) {
    throw new KilnError("zipEntryTooLarge", `Cannot open zip archive: ${location.count} entries is more than the limit of ${maxEntries}`);
  }
  const directory =
    location.offset >= location.tailOffset
      ? location.tail.subarray(location.offset - location.tailOffset, location.offset - location.tailOffset + location.size)
      : await readRange(source, location.offset, location.size, "the zip central directory");
  const parsed = parseCentralDirectory(directory, location);
  const maxTotalSize = options.maxTotalSize ?? 2 * 1024 ** 3;
  const totalSize = parsed.reduce((sum, item) => sum + item.entry.uncompressedSize, 0);
  if (totalSize > maxTotalSize) {
    throw new KilnError("archiveTooLarge", `Cannot open zip archive: its entries add up to ${totalSize} bytes uncompressed, more than the limit of ${maxTotalSize}`, {
      hint: "The archive may be a zip bomb; if it is genuine, raise the limit",
    });
  }
  const byName = new Map<string, DirectoryEntry>();
  const byEntry = new Map<ZipEntry, DirectoryEntry>();
  for (const item of parsed) {
    if (byName.has(item.entry.name)) {
      throw new KilnError("invalidZip", `Cannot open zip archive: entry "${item.entry.name}" appears more than once`, {
        hint: "Duplicate names make the archive ambiguous; rebuild it",
      });
    }
    byName.set(item.entry.name, item);
    byEntry.set(item.entry, item);
  }
  const entries = Object.freeze(parsed.map((item) => item.entry));
  const identical = new IdenticalEntries(parsed, options.codecs?.equal ?? sameBytes);
  return {
    entries,
    comment: location.comment,
    getEntry: (name) => byName.get(name)?.entry,
    readEntry: async (entryOrName) => {
      const item = typeof entryOrName === "string" ? byName.get(entryOrName) : byEntry.get(entryOrName);
      if (item === undefined) {
        const name = typeof entryOrName === "string" ? entryOrName : entryOrName.name;
        throw new KilnError("zipEntryNotFound", `Cannot read zip entry "${name}": no such entry in the archive`);
      }
      return readDirectoryEntry(source, item, { maxEntrySize, codecs: options.codecs ?? {}, identical });
    },
  };
}

/**
 * Entries that may hold the same file twice (z3-solver ships `libz3.so` and `libz3.so.5.3`): the
 * same method, CRC-32 and sizes in the central directory. When one of them has been read, another
 * whose compressed bytes are identical gets the same (already CRC-checked) output instead of
 * being inflated again: comparing the compressed bytes costs a fraction of inflating them.
 */
class IdenticalEntries {
  private readonly candidates = new Set<string>();
  private readonly read = new Map<string, { compressed: Uint8Array; bytes: Uint8Array }[]>();

  constructor(items: readonly DirectoryEntry[], private readonly equal: (a: Uint8Array, b: Uint8Array) => boolean) {
    const seen = new Set<string>();
    for (const { entry } of items) {
      const key = IdenticalEntries.key(entry);
      if (seen.has(key)) this.candidates.add(key);
      seen.add(key);
    }
  }

  private static key(entry: ZipEntry): string {
    return `${entry.method}:${entry.crc32}:${entry.compressedSize}:${entry.uncompressedSize}`;
  }

  /** The output of an entry read before with the same compressed bytes, if any. */
  find(entry: ZipEntry, compressed: Uint8Array): Uint8Array | undefined {
    if (this.candidates.size === 0) return undefined;
    return this.read.get(IdenticalEntries.key(entry))?.find((r) => this.equal(r.compressed, compressed))?.bytes;
  }

  /** Remembers a checked output when another entry may share it. */
  remember(entry: ZipEntry, compressed: Uint8Array, bytes: Uint8Array): void {
    const key = IdenticalEntries.key(entry);
    if (!this.candidates.has(key)) return;
    const list = this.read.get(key) ?? [];
    list.push({ compressed, bytes });
    this.read.set(key, list);
  }
}

async function readDirectoryEntry(source: RandomAccessSource, item: DirectoryEntry, limits: { maxEntrySize: number; codecs: ZipCodecs; identical: IdenticalEntries }): Promise<Uint8Array> {
  const { entry } = item;
  const { maxEntrySize, codecs, identical } = limits;
  if (entry.method !== 0 && entry.method !== 8) {
    throw new KilnError("unsupportedZip", `Cannot read zip entry "${entry.name}": compression method ${entry.method} is not supported`, {
      hint: "kiln reads stored (0) and deflate (8) entries, as wheels use",
    });
  }
  if (entry.uncompressedSize > maxEntrySize) {
    throw new KilnError("zipEntryTooLarge", `Cannot read zip entry "${entry.name}": ${entry.uncompressedSize} bytes is more than the limit of ${maxEntrySize}`, {
      hint: "The archive may be a zip bomb; if it is genuine, raise the limit",
    });
  }
  const wanted = localHeaderLength + item.nameBytes.length + entry.compressedSize + localSlack;
  let chunk = await readRange(source, entry.offset, Math.min(item.limit - entry.offset, wanted), `zip entry "${entry.name}"`);
  const data = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (data.getUint32(0, true) !== localSignature) {
    throw new KilnError("invalidZip", `Cannot read zip entry "${entry.name}": no local header at offset ${entry.offset}`, {
      hint: "The archive is corrupt or truncated; download it again",
    });
  }
  const nameLength = data.getUint16(26, true);
  const extraLength = data.getUint16(28, true);
  const dataStart = localHeaderLength + nameLength + extraLength;
  const dataEnd = dataStart + entry.compressedSize;
  if (entry.offset + dataEnd > item.limit) {
    throw new KilnError("invalidZip", `Cannot read zip entry "${entry.name}": its data overlaps the next entry`, {
      hint: "The archive is corrupt or hostile; do not use it",
    });
  }
  if (!sameBytes(chunk.subarray(localHeaderLength, localHeaderLength + nameLength), item.nameBytes)) {
    throw new KilnError("invalidZip", `Cannot read zip entry "${entry.name}": its local header names a different file`, {
      hint: "The archive is corrupt or hostile; do not use it",
    });
  }
  if (dataEnd > chunk.length) {
    chunk = await readRange(source, entry.offset, dataEnd, `zip entry "${entry.name}"`);
  }
  const compressed = chunk.subarray(dataStart, dataEnd);
  const known = identical.find(entry, compressed);
  if (known) return known;
  const bytes = entry.method === 0 ? storedBytes(compressed, entry) : await inflateEntry(compressed, entry.uncompressedSize, entry.name, codecs.inflateRaw);
  if ((codecs.crc32 ?? crc32)(bytes) !== entry.crc32) {
    throw new KilnError("corruptZipEntry", `Cannot read zip entry "${entry.name}": CRC-32 mismatch`, {
      hint: "The archive is corrupt; download it again",
    });
  }
  identical.remember(entry, compressed, bytes);
  return bytes;
}

function storedBytes(compressed: Uint8Array, entry: ZipEntry): Uint8Array {
  if (entry.compressedSize !== entry.uncompressedSize) {
    throw new KilnError("corruptZipEntry", `Cannot read zip entry "${entry.name}": stored entry has ${entry.compressedSize} bytes but declares ${entry.uncompressedSize}`, {
      hint: "The archive is corrupt; download it again",
    });
  }
  return compressed;
}
