/**
 * The file format of kiln's memory snapshots: a small header that names what the snapshot is for,
 * then Pyodide's own snapshot bytes. Reading never trusts the file: a snapshot that is truncated,
 * corrupt, or made for another runtime build or start-up configuration is refused, so the caller
 * rebuilds it.
 */

const magic = "KILNSNP1";
const headerFixedSize = 24;

/** Why a snapshot file was refused. */
export type SnapshotRejection = "too-short" | "bad-magic" | "other-key" | "truncated" | "checksum";

/** The outcome of {@link decodeSnapshotFile}. */
export type DecodedSnapshot = { ok: true; payload: Uint8Array } | { ok: false; reason: SnapshotRejection };

/**
 * Wraps Pyodide snapshot bytes with a header recording `key` (runtime build and start-up
 * configuration), the payload length and its checksum.
 *
 * @example
 * const file = encodeSnapshotFile(pyodide.makeMemorySnapshot(), { key, checksum: crc32 });
 */
export function encodeSnapshotFile(payload: Uint8Array, options: { key: string; checksum: (bytes: Uint8Array) => number }): Uint8Array {
  const keyBytes = new TextEncoder().encode(options.key);
  const headerSize = align16(headerFixedSize + keyBytes.length);
  const file = new Uint8Array(headerSize + payload.length);
  const view = new DataView(file.buffer);
  file.set(new TextEncoder().encode(magic), 0);
  view.setUint32(8, headerSize, true);
  view.setUint32(12, keyBytes.length, true);
  view.setUint32(16, payload.length, true);
  view.setUint32(20, options.checksum(payload) >>> 0, true);
  file.set(keyBytes, headerFixedSize);
  file.set(payload, headerSize);
  return file;
}

/**
 * Checks a snapshot file against the expected key and its checksum, and returns the payload
 * (a view into `file`, not a copy) or the reason it was refused.
 *
 * @example
 * const decoded = decodeSnapshotFile(bytes, { key, checksum: crc32 });
 * if (!decoded.ok) await store.remove(name);
 */
export function decodeSnapshotFile(file: Uint8Array, options: { key: string; checksum: (bytes: Uint8Array) => number }): DecodedSnapshot {
  const header = decodeSnapshotHeader(file, { key: options.key, fileLength: file.length });
  if (!header.ok) return header;
  const payload = file.subarray(header.headerSize);
  if (options.checksum(payload) >>> 0 !== header.checksum) return { ok: false, reason: "checksum" };
  return { ok: true, payload };
}

/** What a snapshot file's header says, once it is checked (see {@link decodeSnapshotHeader}). */
export interface SnapshotHeader {
  ok: true;
  /** Where the payload starts in the file (a multiple of 16). */
  headerSize: number;
  payloadLength: number;
  /** The payload's checksum, as written. */
  checksum: number;
}

/**
 * Checks a snapshot file's header against the expected key and the file's length, from the
 * file's first bytes (`head`; at least the header, which is short), so that the payload can be
 * read, and its checksum checked, separately (see {@link snapshotPayloadRejection}).
 *
 * @example
 * const header = decodeSnapshotHeader(firstBytes, { key, fileLength: size });
 * if (header.ok) payload = new Uint8Array(header.payloadLength); // then read it from header.headerSize
 */
export function decodeSnapshotHeader(head: Uint8Array, options: { key: string; fileLength: number }): SnapshotHeader | { ok: false; reason: SnapshotRejection } {
  if (options.fileLength < headerFixedSize || head.length < headerFixedSize) return { ok: false, reason: "too-short" };
  if (new TextDecoder().decode(head.subarray(0, 8)) !== magic) return { ok: false, reason: "bad-magic" };
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const headerSize = view.getUint32(8, true);
  const keyLength = view.getUint32(12, true);
  const payloadLength = view.getUint32(16, true);
  if (headerFixedSize + keyLength > head.length || headerSize > options.fileLength) return { ok: false, reason: "truncated" };
  const key = new TextDecoder().decode(head.subarray(headerFixedSize, headerFixedSize + keyLength));
  if (key !== options.key) return { ok: false, reason: "other-key" };
  if (options.fileLength !== headerSize + payloadLength) return { ok: false, reason: "truncated" };
  return { ok: true, headerSize, payloadLength, checksum: view.getUint32(20, true) };
}

/**
 * Why a payload read separately from its header is refused (its checksum differs), or undefined.
 *
 * @example
 * if (snapshotPayloadRejection(payload, header, crc32)) await store.remove(name);
 */
export function snapshotPayloadRejection(payload: Uint8Array, header: SnapshotHeader, checksum: (bytes: Uint8Array) => number): SnapshotRejection | undefined {
  if (payload.length !== header.payloadLength) return "truncated";
  return checksum(payload) >>> 0 === header.checksum ? undefined : "checksum";
}

function align16(size: number): number {
  return Math.ceil(size / 16) * 16;
}
