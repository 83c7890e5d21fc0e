import { deflateSync } from "fflate";
import { crc32 } from "../../src/archive/crc32.js";

/** One entry for {@link buildZip}; every field a hostile archive might lie about can be set. */
export interface BuiltZipEntry {
  name: string;
  data?: Uint8Array | string;
  method?: 0 | 8 | number;
  /** Overrides, to write an archive that lies. */
  crc32?: number;
  compressedSize?: number;
  uncompressedSize?: number;
  /** Local header offset override. */
  offset?: number;
  /** The name in the local header, when it should differ from the central one. */
  localName?: string;
  flags?: number;
  /** Unix mode for the external attributes. */
  mode?: number;
  /** Write sizes and offset as 0xFFFFFFFF with a zip64 extra field in the central directory. */
  zip64?: boolean;
  /** The compressed bytes to store, instead of compressing `data`. */
  raw?: Uint8Array;
}

/** Options for {@link buildZip}. */
export interface BuildZipOptions {
  comment?: string;
  /** Add zip64 end record and locator, with 0xFFFF placeholders in the classic end record. */
  zip64End?: boolean;
  /** Bytes to prepend before the first entry. */
  prefix?: Uint8Array;
}

const encoder = new TextEncoder();

/**
 * Writes a zip archive field by field, so tests can produce both valid archives (zip64 central
 * extras, comments) and hostile ones (lying sizes, overlapping entries).
 *
 * @example
 * const bytes = buildZip([{ name: "a.txt", data: "hi", method: 8 }]);
 */
export function buildZip(entries: BuiltZipEntry[], options: BuildZipOptions = {}): Uint8Array {
  const chunks: Uint8Array[] = [];
  let position = 0;
  const push = (bytes: Uint8Array) => {
    chunks.push(bytes);
    position += bytes.length;
  };
  if (options.prefix) push(options.prefix);
  const central: Uint8Array[] = [];
  for (const entry of entries) {
    const data = typeof entry.data === "string" ? encoder.encode(entry.data) : (entry.data ?? new Uint8Array());
    const method = entry.method ?? 8;
    const stored = entry.raw ?? (method === 8 ? deflateSync(data) : data);
    const name = encoder.encode(entry.name);
    const localName = encoder.encode(entry.localName ?? entry.name);
    const crc = entry.crc32 ?? crc32(data);
    const compressedSize = entry.compressedSize ?? stored.length;
    const uncompressedSize = entry.uncompressedSize ?? data.length;
    const flags = (entry.flags ?? 0) | 0x800;
    const offset = entry.offset ?? position;
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint16(6, flags, true);
    local.setUint16(8, method, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, Math.min(compressedSize, 0xffffffff), true);
    local.setUint32(22, Math.min(uncompressedSize, 0xffffffff), true);
    local.setUint16(26, localName.length, true);
    push(new Uint8Array(local.buffer));
    push(localName);
    push(stored);
    let extra = new Uint8Array();
    if (entry.zip64) {
      const z = new DataView(new ArrayBuffer(28));
      z.setUint16(0, 1, true);
      z.setUint16(2, 24, true);
      z.setBigUint64(4, BigInt(uncompressedSize), true);
      z.setBigUint64(12, BigInt(compressedSize), true);
      z.setBigUint64(20, BigInt(offset), true);
      extra = new Uint8Array(z.buffer);
    }
    const header = new DataView(new ArrayBuffer(46));
    header.setUint32(0, 0x02014b50, true);
    header.setUint16(4, (3 << 8) | 45, true);
    header.setUint16(6, 20, true);
    header.setUint16(8, flags, true);
    header.setUint16(10, method, true);
    header.setUint32(16, crc, true);
    header.setUint32(20, entry.zip64 ? 0xffffffff : compressedSize, true);
    header.setUint32(24, entry.zip64 ? 0xffffffff : uncompressedSize, true);
    header.setUint16(28, name.length, true);
    header.setUint16(30, extra.length, true);
    header.setUint32(38, ((entry.mode ?? 0) << 16) >>> 0, true);
    header.setUint32(42, entry.zip64 ? 0xffffffff : offset, true);
    central.push(new Uint8Array(header.buffer), name, extra);
  }
  const directoryOffset = position;
  for (const part of central) push(part);
  const directorySize = position - directoryOffset;
  if (options.zip64End) {
    const record = new DataView(new ArrayBuffer(56));
    record.setUint32(0, 0x06064b50, true);
    record.setBigUint64(4, 44n, true);
    record.setUint16(12, 45, true);
    record.setUint16(14, 45, true);
    record.setBigUint64(24, BigInt(entries.length), true);
    record.setBigUint64(32, BigInt(entries.length), true);
    record.setBigUint64(40, BigInt(directorySize), true);
    record.setBigUint64(48, BigInt(directoryOffset), true);
    const recordOffset = position;
    push(new Uint8Array(record.buffer));
    const locator = new DataView(new ArrayBuffer(20));
    locator.setUint32(0, 0x07064b50, true);
    locator.setBigUint64(8, BigInt(recordOffset), true);
    locator.setUint32(16, 1, true);
    push(new Uint8Array(locator.buffer));
  }
  const comment = encoder.encode(options.comment ?? "");
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, options.zip64End ? 0xffff : entries.length, true);
  end.setUint16(10, options.zip64End ? 0xffff : entries.length, true);
  end.setUint32(12, options.zip64End ? 0xffffffff : directorySize, true);
  end.setUint32(16, options.zip64End ? 0xffffffff : directoryOffset, true);
  end.setUint16(20, comment.length, true);
  push(new Uint8Array(end.buffer));
  push(comment);
  const result = new Uint8Array(position);
  let at = 0;
  for (const chunk of chunks) {
    result.set(chunk, at);
    at += chunk.length;
  }
  return result;
}
