import { KilnError } from "../core/index.js";
import { decodeEntryName } from "./decode-entry-name.js";
import { readRange, type RandomAccessSource } from "./random-access-source.js";
import type { ZipEntry } from "./zip-entry.js";

// Record layouts: PKWARE APPNOTE.TXT 6.3.10, sections 4.3.7 (local header), 4.3.12 (central
// directory header), 4.3.14-4.3.16 (zip64 end record, locator, end record).
const eocdSignature = 0x06054b50;
const eocdLength = 22;
const zip64LocatorSignature = 0x07064b50;
const zip64LocatorLength = 20;
const zip64EocdSignature = 0x06064b50;
const zip64EocdLength = 56;
const centralSignature = 0x02014b50;
const centralLength = 46;
const maxCommentLength = 0xffff;
/** The first read from the tail: usually the whole central directory of a wheel fits. */
const defaultTailRead = 64 * 1024;

/** Where the central directory is, from the end records. */
export interface CentralDirectoryLocation {
  offset: number;
  size: number;
  count: number;
  /** Where the end records start; nothing of the central directory may reach past it. */
  end: number;
  comment: string;
  /** The bytes already read from the tail, starting at `tailOffset`, to avoid re-reading. */
  tail: Uint8Array;
  tailOffset: number;
}

/** A parsed central directory entry plus where its data may end (the next record's start). */
export interface DirectoryEntry {
  entry: ZipEntry;
  nameBytes: Uint8Array;
  flags: number;
  limit: number;
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function invalid(what: string, hint = "The file is not a zip archive, or it is truncated or corrupt"): KilnError {
  return new KilnError("invalidZip", `Cannot read zip archive: ${what}`, { hint });
}

function safeUint64(data: DataView, at: number, what: string): number {
  const value = data.getBigUint64(at, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid(`${what} ${value} is out of range`);
  return Number(value);
}

/** Finds the end-of-central-directory record, preferring one whose comment ends the file exactly. */
function findEocd(tail: Uint8Array): number | undefined {
  const data = view(tail);
  let loose: number | undefined;
  for (let at = tail.length - eocdLength; at >= 0; at--) {
    if (data.getUint32(at, true) !== eocdSignature) continue;
    const end = at + eocdLength + data.getUint16(at + 20, true);
    if (end === tail.length) return at;
    if (end <= tail.length && loose === undefined) loose = at;
  }
  return loose;
}

/**
 * Locates the central directory from the file's tail: the end record (searched backwards past a
 * comment), then the zip64 locator and zip64 end record when present.
 */
export async function locateCentralDirectory(source: RandomAccessSource): Promise<CentralDirectoryLocation> {
  if (source.size < eocdLength) throw invalid(`${source.size} bytes is too short for a zip archive`);
  let tailOffset = Math.max(0, source.size - defaultTailRead);
  let tail = await readRange(source, tailOffset, source.size - tailOffset, "the end of the zip archive");
  let at = findEocd(tail);
  const fullWindow = eocdLength + maxCommentLength + zip64LocatorLength;
  if (at === undefined && tailOffset > 0 && tail.length < fullWindow) {
    tailOffset = Math.max(0, source.size - fullWindow);
    tail = await readRange(source, tailOffset, source.size - tailOffset, "the end of the zip archive");
    at = findEocd(tail);
  }
  if (at === undefined) throw invalid("no end-of-central-directory record");
  const data = view(tail);
  const eocdOffset = tailOffset + at;
  const disk = data.getUint16(at + 4, true);
  const cdDisk = data.getUint16(at + 6, true);
  let count = data.getUint16(at + 10, true);
  let size = data.getUint32(at + 12, true);
  let offset = data.getUint32(at + 16, true);
  const comment = decodeEntryName(tail.subarray(at + eocdLength, at + eocdLength + data.getUint16(at + 20, true)), true);
  let end = eocdOffset;
  if (data.getUint16(at + 8, true) !== count || (disk !== 0 && disk !== 0xffff) || (cdDisk !== 0 && cdDisk !== 0xffff)) {
    throw new KilnError("unsupportedZip", "Cannot read zip archive: it spans several disks", {
      hint: "Join the parts into a single zip file",
    });
  }
  const locatorAt = eocdOffset - zip64LocatorLength;
  if (locatorAt >= 0) {
    const locator = locatorAt >= tailOffset ? tail.subarray(locatorAt - tailOffset, at) : await readRange(source, locatorAt, zip64LocatorLength, "the zip64 locator");
    const locatorData = view(locator);
    if (locatorData.getUint32(0, true) === zip64LocatorSignature) {
      const recordOffset = safeUint64(locatorData, 8, "zip64 end record offset");
      if (recordOffset + zip64EocdLength > locatorAt) throw invalid(`zip64 end record offset ${recordOffset} is out of range`);
      const record = view(
        recordOffset >= tailOffset
          ? tail.subarray(recordOffset - tailOffset, recordOffset - tailOffset + zip64EocdLength)
          : await readRange(source, recordOffset, zip64EocdLength, "the zip64 end record"),
      );
      if (record.getUint32(0, true) !== zip64EocdSignature) throw invalid("zip64 locator does not point at a zip64 end record");
      if (record.getUint32(16, true) !== 0 || record.getUint32(20, true) !== 0) {
        throw new KilnError("unsupportedZip", "Cannot read zip archive: it spans several disks", { hint: "Join the parts into a single zip file" });
      }
      count = safeUint64(record, 32, "zip64 entry count");
      size = safeUint64(record, 40, "zip64 central directory size");
      offset = safeUint64(record, 48, "zip64 central directory offset");
      end = recordOffset;
    }
  }
  if (offset + size > end) throw invalid(`central directory (${size} bytes at ${offset}) runs past its end record at ${end}`);
  if (count * centralLength > size) throw invalid(`${count} entries cannot fit in a ${size}-byte central directory`);
  return { offset, size, count, end, comment, tail, tailOffset };
}

/** Reads the zip64 extended-information extra field (id 0x0001) for the fields that overflowed. */
function applyZip64Extra(extra: Uint8Array, fields: { uncompressed: number; compressed: number; offset: number }, name: string): void {
  const data = view(extra);
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = data.getUint16(at, true);
    const length = data.getUint16(at + 2, true);
    const body = at + 4;
    if (body + length > extra.length) throw invalid(`extra field of "${name}" is truncated`);
    if (id === 0x0001) {
      let cursor = body;
      for (const key of ["uncompressed", "compressed", "offset"] as const) {
        if (fields[key] !== 0xffffffff) continue;
        if (cursor + 8 > body + length) throw invalid(`zip64 extra field of "${name}" is too short`);
        fields[key] = safeUint64(data, cursor, `zip64 ${key} field of "${name}"`);
        cursor += 8;
      }
      return;
    }
    at = body + length;
  }
}

/** Parses the central directory bytes into entries, with bounds checks on every record. */
export function parseCentralDirectory(bytes: Uint8Array, location: CentralDirectoryLocation): DirectoryEntry[] {
  const data = view(bytes);
  const result: DirectoryEntry[] = [];
  let at = 0;
  for (let index = 0; index < location.count; index++) {
    if (at + centralLength > bytes.length || data.getUint32(at, true) !== centralSignature) {
      throw invalid(`central directory record ${index + 1} of ${location.count} is missing or damaged`);
    }
    const flags = data.getUint16(at + 8, true);
    const method = data.getUint16(at + 10, true);
    const crc = data.getUint32(at + 16, true);
    const fields = { compressed: data.getUint32(at + 20, true), uncompressed: data.getUint32(at + 24, true), offset: data.getUint32(at + 42, true) };
    const nameLength = data.getUint16(at + 28, true);
    const extraLength = data.getUint16(at + 30, true);
    const commentLength = data.getUint16(at + 32, true);
    const external = data.getUint32(at + 38, true);
    const next = at + centralLength + nameLength + extraLength + commentLength;
    if (next > bytes.length) throw invalid(`central directory record ${index + 1} runs past the directory's end`);
    const nameBytes = bytes.subarray(at + centralLength, at + centralLength + nameLength);
    const name = decodeEntryName(nameBytes, (flags & 0x800) !== 0);
    applyZip64Extra(bytes.subarray(at + centralLength + nameLength, at + centralLength + nameLength + extraLength), fields, name);
    if (flags & 0x1) throw new KilnError("unsupportedZip", `Cannot read zip entry "${name}": it is encrypted`);
    const mode = external >>> 16;
    result.push({
      entry: Object.freeze({
        name,
        compressedSize: fields.compressed,
        uncompressedSize: fields.uncompressed,
        method,
        crc32: crc,
        offset: fields.offset,
        isDirectory: name.endsWith("/"),
        unixMode: mode === 0 ? undefined : mode,
      }),
      nameBytes,
      flags,
      limit: 0,
    });
    at = next;
  }
  assignLimits(result, location.offset);
  return result;
}

/**
 * Gives every entry the offset its data must end before (the next local header, or the central
 * directory) and refuses overlapping entries: overlapping data is how "non-recursive" zip bombs
 * multiply their output, and it lets two parsers disagree about a file's content.
 */
function assignLimits(entries: DirectoryEntry[], directoryOffset: number): void {
  const sorted = [...entries].sort((a, b) => a.entry.offset - b.entry.offset);
  for (let i = 0; i < sorted.length; i++) {
    const current = sorted[i]!;
    const limit = i + 1 < sorted.length ? sorted[i + 1]!.entry.offset : directoryOffset;
    const minimalEnd = current.entry.offset + 30 + current.nameBytes.length + current.entry.compressedSize;
    if (minimalEnd > limit) {
      throw invalid(`entry "${current.entry.name}" (${current.entry.compressedSize} bytes at ${current.entry.offset}) overlaps the next entry or the central directory`);
    }
    current.limit = limit;
  }
}
