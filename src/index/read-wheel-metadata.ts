import { inflateSync } from "fflate";
import { KilnError } from "../core/index.js";
import { crc32 } from "./crc32.js";
import type { RandomAccessSource } from "./random-access-source.js";

const maxMetadataBytes = 16 * 1024 * 1024;

interface CentralEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  nameLength: number;
}

/**
 * Reads `<name>-<version>.dist-info/METADATA` from a wheel through a {@link RandomAccessSource},
 * touching only the zip's end records, its central directory and that one entry: over HTTP
 * range requests a few KiB instead of the whole wheel. Handles ZIP64, stored and deflated
 * entries, and checks the CRC. `label` names the wheel in errors.
 *
 * @example
 * const text = await readWheelMetadata(await HttpRangeSource.open(session, url), "demo-1.0-py3-none-any.whl");
 */
export async function readWheelMetadata(source: RandomAccessSource, label: string): Promise<string> {
  const entries = await readCentralDirectory(source, label);
  const entry = pickMetadataEntry(entries, label);
  const data = await readEntry(source, entry, label);
  return new TextDecoder().decode(data);
}

async function readCentralDirectory(source: RandomAccessSource, label: string): Promise<CentralEntry[]> {
  // Try the last 64 KiB first, what an HTTP range source already holds; only a zip comment
  // longer than that needs the largest possible window.
  let found = await findEndRecord(source, Math.min(source.size, 64 * 1024));
  if (!found && source.size > 64 * 1024) found = await findEndRecord(source, Math.min(source.size, 22 + 0xffff));
  if (!found) throw broken(label, "no end of central directory record");
  const { view, eocd, tailStart } = found;
  let count = view.getUint16(eocd + 10, true);
  let cdSize = view.getUint32(eocd + 12, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    ({ count, cdSize, cdOffset } = await readZip64End(source, tailStart + eocd, label));
  }
  if (cdOffset + cdSize > source.size) throw broken(label, "the central directory lies outside the file");
  const directory = await source.read(cdOffset, cdSize);
  return parseCentralEntries(directory, count, label);
}

async function findEndRecord(source: RandomAccessSource, length: number) {
  const tailStart = source.size - length;
  const tail = await source.read(tailStart, length);
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  for (let i = tail.byteLength - 22; i >= 0; i--) {
    if (view.getUint32(i, true) === 0x06054b50) return { view, eocd: i, tailStart };
  }
  return undefined;
}

async function readZip64End(source: RandomAccessSource, eocdOffset: number, label: string) {
  if (eocdOffset < 20) throw broken(label, "no ZIP64 locator");
  const locator = await source.read(eocdOffset - 20, 20);
  const locatorView = new DataView(locator.buffer, locator.byteOffset, 20);
  if (locatorView.getUint32(0, true) !== 0x07064b50) throw broken(label, "no ZIP64 locator");
  const recordOffset = Number(locatorView.getBigUint64(8, true));
  if (recordOffset + 56 > source.size) throw broken(label, "the ZIP64 record lies outside the file");
  const record = await source.read(recordOffset, 56);
  const view = new DataView(record.buffer, record.byteOffset, 56);
  if (view.getUint32(0, true) !== 0x06064b50) throw broken(label, "a damaged ZIP64 record");
  return {
    count: Number(view.getBigUint64(32, true)),
    cdSize: Number(view.getBigUint64(40, true)),
    cdOffset: Number(view.getBigUint64(48, true)),
  };
}

function parseCentralEntries(directory: Uint8Array, count: number, label: string): CentralEntry[] {
  const view = new DataView(directory.buffer, directory.byteOffset, directory.byteLength);
  const entries: CentralEntry[] = [];
  let position = 0;
  for (let i = 0; i < count; i++) {
    if (position + 46 > directory.byteLength || view.getUint32(position, true) !== 0x02014b50) {
      throw broken(label, "a damaged central directory");
    }
    const nameLength = view.getUint16(position + 28, true);
    const extraLength = view.getUint16(position + 30, true);
    const commentLength = view.getUint16(position + 32, true);
    const end = position + 46 + nameLength + extraLength + commentLength;
    if (end > directory.byteLength) throw broken(label, "a damaged central directory");
    const entry: CentralEntry = {
      name: new TextDecoder().decode(directory.subarray(position + 46, position + 46 + nameLength)),
      method: view.getUint16(position + 10, true),
      crc: view.getUint32(position + 16, true),
      compressedSize: view.getUint32(position + 20, true),
      size: view.getUint32(position + 24, true),
      localOffset: view.getUint32(position + 42, true),
      nameLength,
    };
    applyZip64Extra(entry, directory.subarray(position + 46 + nameLength, position + 46 + nameLength + extraLength));
    entries.push(entry);
    position = end;
  }
  return entries;
}

/** ZIP64 extended information (0x0001) replaces the fields stored as 0xFFFFFFFF, in order. */
function applyZip64Extra(entry: CentralEntry, extra: Uint8Array): void {
  const view = new DataView(extra.buffer, extra.byteOffset, extra.byteLength);
  for (let position = 0; position + 4 <= extra.byteLength; ) {
    const id = view.getUint16(position, true);
    const length = view.getUint16(position + 2, true);
    if (id === 0x0001) {
      let field = position + 4;
      const next = () => {
        const value = field + 8 <= position + 4 + length && field + 8 <= extra.byteLength ? Number(view.getBigUint64(field, true)) : undefined;
        field += 8;
        return value;
      };
      if (entry.size === 0xffffffff) entry.size = next() ?? entry.size;
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next() ?? entry.compressedSize;
      if (entry.localOffset === 0xffffffff) entry.localOffset = next() ?? entry.localOffset;
      return;
    }
    position += 4 + length;
  }
}

/** The METADATA of the wheel's own `.dist-info` directory (named after the wheel when several). */
function pickMetadataEntry(entries: CentralEntry[], label: string): CentralEntry {
  const candidates = entries.filter((e) => /^[^/]+\.dist-info\/METADATA$/.test(e.name));
  if (candidates.length === 1) return candidates[0]!;
  const prefix = label.split("-").slice(0, 2).join("-").toLowerCase().replace(/[-_.]+/g, "_");
  const named = candidates.find((e) => e.name.split(".dist-info/")[0]!.toLowerCase().replace(/[-_.]+/g, "_") === prefix);
  if (named) return named;
  throw broken(label, candidates.length === 0 ? "no .dist-info/METADATA entry" : "several .dist-info directories");
}

async function readEntry(source: RandomAccessSource, entry: CentralEntry, label: string): Promise<Uint8Array> {
  if (entry.size > maxMetadataBytes || entry.compressedSize > maxMetadataBytes) {
    throw broken(label, `its METADATA claims ${entry.size} bytes, more than kiln accepts`);
  }
  if (entry.localOffset + 30 > source.size) throw broken(label, "METADATA lies outside the file");
  // One read for the local header and the data, guessing the local extra field's size (it is
  // usually what the central directory says, or a little more), so a range source makes one request.
  const guess = Math.min(source.size - entry.localOffset, 30 + entry.nameLength + 512 + entry.compressedSize);
  const chunk = await source.read(entry.localOffset, guess);
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (view.getUint32(0, true) !== 0x04034b50) throw broken(label, "a damaged local header for METADATA");
  const dataOffset = 30 + view.getUint16(26, true) + view.getUint16(28, true);
  if (entry.localOffset + dataOffset + entry.compressedSize > source.size) throw broken(label, "METADATA lies outside the file");
  const compressed =
    dataOffset + entry.compressedSize <= chunk.byteLength
      ? chunk.subarray(dataOffset, dataOffset + entry.compressedSize)
      : await source.read(entry.localOffset + dataOffset, entry.compressedSize);
  let data: Uint8Array;
  if (entry.method === 0) data = compressed;
  else if (entry.method === 8) {
    try {
      data = inflateSync(compressed, { out: new Uint8Array(entry.size) });
    } catch (error) {
      throw broken(label, `METADATA does not inflate (${(error as Error).message})`);
    }
  } else throw broken(label, `METADATA uses compression method ${entry.method}, which wheels may not use`);
  if (data.byteLength !== entry.size || crc32(data) !== entry.crc) throw broken(label, "METADATA fails its CRC check");
  return data;
}

function broken(label: string, problem: string): KilnError {
  return new KilnError("metadataUnavailable", `Cannot read the metadata of ${label}: ${problem}`, {
    hint: "The wheel is damaged or not a zip archive",
  });
}
