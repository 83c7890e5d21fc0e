/**
 * The file format of kiln's memory snapshots: a small header that names what the snapshot is for,
 * then Pyodide's own snapshot bytes, without their all-zero pages. Reading never trusts the file:
 * a snapshot that is truncated, corrupt, or made for another runtime build or start-up
 * configuration is refused, so the caller rebuilds it.
 *
 * A snapshot is the runtime's whole memory, and much of it is zeros (memory grown but never used,
 * or freed): two fifths of a preload snapshot's 38 MB. Only the other pages are stored, as
 * extents (runs of pages), each with its checksum; a start reads and checks those alone, into a
 * zeroed buffer of the payload's length.
 */

const magic = "KILNSNP2";
const headerFixedSize = 28;
const extentEntrySize = 12;
/** The unit of the all-zero test: WebAssembly's page size. */
const pageSize = 65536;

/**
 * Why a snapshot file was refused. `replaced`: the file changed between one thread's reading its
 * header and another's reading its payload (see `openStreamedSnapshot`).
 */
export type SnapshotRejection = "too-short" | "bad-magic" | "other-key" | "truncated" | "checksum" | "replaced";

/** The outcome of {@link decodeSnapshotFile}. */
export type DecodedSnapshot = { ok: true; payload: Uint8Array } | { ok: false; reason: SnapshotRejection };

/** A stored run of the payload: its place in the payload, and its checksum. */
export interface SnapshotExtent {
  offset: number;
  length: number;
  checksum: number;
}

/**
 * Wraps Pyodide snapshot bytes with a header recording `key` (runtime build and start-up
 * configuration), the payload's length and the extents stored (all but the all-zero pages).
 *
 * @example
 * const file = encodeSnapshotFile(pyodide.makeMemorySnapshot(), { key, checksum: crc32 });
 */
export function encodeSnapshotFile(payload: Uint8Array, options: { key: string; checksum: (bytes: Uint8Array) => number }): Uint8Array {
  const keyBytes = new TextEncoder().encode(options.key);
  const extents = nonZeroExtents(payload).map(({ offset, length }) => ({ offset, length, checksum: options.checksum(payload.subarray(offset, offset + length)) >>> 0 }));
  const table = new Uint8Array(extents.length * extentEntrySize);
  const tableView = new DataView(table.buffer);
  extents.forEach((extent, index) => {
    tableView.setUint32(index * extentEntrySize, extent.offset, true);
    tableView.setUint32(index * extentEntrySize + 4, extent.length, true);
    tableView.setUint32(index * extentEntrySize + 8, extent.checksum, true);
  });
  const headerSize = align16(headerFixedSize + keyBytes.length + table.length);
  const stored = extents.reduce((sum, extent) => sum + extent.length, 0);
  const file = new Uint8Array(headerSize + stored);
  const view = new DataView(file.buffer);
  file.set(new TextEncoder().encode(magic), 0);
  view.setUint32(8, headerSize, true);
  view.setUint32(12, keyBytes.length, true);
  view.setUint32(16, payload.length, true);
  view.setUint32(20, extents.length, true);
  view.setUint32(24, options.checksum(table) >>> 0, true);
  file.set(keyBytes, headerFixedSize);
  file.set(table, headerFixedSize + keyBytes.length);
  let at = headerSize;
  for (const extent of extents) {
    file.set(payload.subarray(extent.offset, extent.offset + extent.length), at);
    at += extent.length;
  }
  return file;
}

/**
 * Checks a snapshot file against the expected key and its checksums, and returns the payload
 * (a new buffer, all-zero pages included) or the reason it was refused.
 *
 * @example
 * const decoded = decodeSnapshotFile(bytes, { key, checksum: crc32 });
 * if (!decoded.ok) await store.remove(name);
 */
export function decodeSnapshotFile(file: Uint8Array, options: { key: string; checksum: (bytes: Uint8Array) => number }): DecodedSnapshot {
  const header = decodeSnapshotHeader(file, { key: options.key, fileLength: file.length, checksum: options.checksum });
  if (!header.ok) return header;
  const payload = new Uint8Array(header.payloadLength);
  let at = header.headerSize;
  for (const extent of header.extents) {
    payload.set(file.subarray(at, at + extent.length), extent.offset);
    at += extent.length;
  }
  const rejection = snapshotPayloadRejection(payload, header, options.checksum);
  return rejection ? { ok: false, reason: rejection } : { ok: true, payload };
}

/** What a snapshot file's header says, once it is checked (see {@link decodeSnapshotHeader}). */
export interface SnapshotHeader {
  ok: true;
  /** Where the stored extents start in the file (a multiple of 16). */
  headerSize: number;
  payloadLength: number;
  /** The stored runs of the payload, in file order (ascending offsets); the rest is zeros. */
  extents: SnapshotExtent[];
}

/**
 * How many bytes of the file the header takes, from its first 28 bytes; undefined when they are
 * not a snapshot header. A reader reads that much before {@link decodeSnapshotHeader}.
 *
 * @example
 * const size = snapshotHeaderLength(first64k); // then read that many bytes if more
 */
export function snapshotHeaderLength(head: Uint8Array): number | undefined {
  if (head.length < headerFixedSize || new TextDecoder().decode(head.subarray(0, 8)) !== magic) return undefined;
  return new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(8, true);
}

/**
 * Checks a snapshot file's header against the expected key and the file's length, from the
 * file's first bytes (`head`: at least the whole header, see {@link snapshotHeaderLength}), so
 * that the extents can be read, and their checksums checked, separately (see
 * {@link snapshotPayloadRejection}).
 *
 * @example
 * const header = decodeSnapshotHeader(firstBytes, { key, fileLength: size, checksum: crc32 });
 * if (header.ok) payload = new Uint8Array(header.payloadLength); // then read each extent into place
 */
export function decodeSnapshotHeader(
  head: Uint8Array,
  options: { key: string; fileLength: number; checksum: (bytes: Uint8Array) => number },
): SnapshotHeader | { ok: false; reason: SnapshotRejection } {
  if (options.fileLength < headerFixedSize || head.length < headerFixedSize) return { ok: false, reason: "too-short" };
  if (new TextDecoder().decode(head.subarray(0, 8)) !== magic) return { ok: false, reason: "bad-magic" };
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const headerSize = view.getUint32(8, true);
  const keyLength = view.getUint32(12, true);
  const payloadLength = view.getUint32(16, true);
  const extentCount = view.getUint32(20, true);
  const tableStart = headerFixedSize + keyLength;
  const tableEnd = tableStart + extentCount * extentEntrySize;
  if (tableEnd > head.length || tableEnd > headerSize || headerSize > options.fileLength) return { ok: false, reason: "truncated" };
  const key = new TextDecoder().decode(head.subarray(headerFixedSize, tableStart));
  if (key !== options.key) return { ok: false, reason: "other-key" };
  if (options.checksum(head.subarray(tableStart, tableEnd)) >>> 0 !== view.getUint32(24, true)) return { ok: false, reason: "checksum" };
  const extents: SnapshotExtent[] = [];
  let stored = 0;
  let end = 0;
  for (let index = 0; index < extentCount; index++) {
    const at = tableStart + index * extentEntrySize;
    const extent = { offset: view.getUint32(at, true), length: view.getUint32(at + 4, true), checksum: view.getUint32(at + 8, true) };
    if (extent.offset < end || extent.offset + extent.length > payloadLength) return { ok: false, reason: "checksum" };
    end = extent.offset + extent.length;
    stored += extent.length;
    extents.push(extent);
  }
  if (options.fileLength !== headerSize + stored) return { ok: false, reason: "truncated" };
  return { ok: true, headerSize, payloadLength, extents };
}

/**
 * Why a payload whose extents were read into place is refused (an extent's checksum differs), or
 * undefined.
 *
 * @example
 * if (snapshotPayloadRejection(payload, header, crc32)) await store.remove(name);
 */
export function snapshotPayloadRejection(payload: Uint8Array, header: SnapshotHeader, checksum: (bytes: Uint8Array) => number): SnapshotRejection | undefined {
  if (payload.length !== header.payloadLength) return "truncated";
  for (const extent of header.extents) {
    if (checksum(payload.subarray(extent.offset, extent.offset + extent.length)) >>> 0 !== extent.checksum) return "checksum";
  }
  return undefined;
}

/** The runs of whole pages (the last one possibly short) that hold a non-zero byte. */
function nonZeroExtents(payload: Uint8Array): Array<{ offset: number; length: number }> {
  const words = payload.byteOffset % 4 === 0 ? new Uint32Array(payload.buffer, payload.byteOffset, payload.length >>> 2) : undefined;
  const extents: Array<{ offset: number; length: number }> = [];
  for (let offset = 0; offset < payload.length; offset += pageSize) {
    const end = Math.min(offset + pageSize, payload.length);
    if (isZero(payload, words, offset, end)) continue;
    const last = extents.at(-1);
    if (last && last.offset + last.length === offset) last.length = end - last.offset;
    else extents.push({ offset, length: end - offset });
  }
  return extents;
}

function isZero(payload: Uint8Array, words: Uint32Array | undefined, start: number, end: number): boolean {
  let index = start;
  if (words) {
    for (const wordEnd = end >>> 2; index >>> 2 < wordEnd; index += 4) if (words[index >>> 2] !== 0) return false;
  }
  for (; index < end; index++) if (payload[index] !== 0) return false;
  return true;
}

/**
 * The key a snapshot file was written for, read from its header through `read` (bytes at an
 * offset; fewer at the end of the file), without checking it against an expected one: what
 * `kiln cache prune` needs to tell which runtime build a snapshot is of. Undefined for a file that
 * is not a snapshot or whose header is cut short.
 *
 * @example
 * const key = readSnapshotKey((offset, length) => bytes.subarray(offset, offset + length));
 */
export function readSnapshotKey(read: (offset: number, length: number) => Uint8Array): string | undefined {
  const fixed = read(0, headerFixedSize);
  if (fixed.length < headerFixedSize || new TextDecoder().decode(fixed.subarray(0, 8)) !== magic) return undefined;
  const keyLength = new DataView(fixed.buffer, fixed.byteOffset, fixed.byteLength).getUint32(12, true);
  const key = read(headerFixedSize, keyLength);
  return key.length === keyLength ? new TextDecoder().decode(key) : undefined;
}

function align16(size: number): number {
  return Math.ceil(size / 16) * 16;
}
