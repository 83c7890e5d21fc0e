import { KilnError } from "../core/index.js";

/** The fields of one 512-byte tar header block that kiln uses. */
export interface TarHeader {
  /** The name as stored: ustar's `prefix/name`, before pax or GNU long names apply. */
  name: string;
  mode: number;
  size: number;
  /** The type flag character: `0` file, `5` directory, `2` symlink, `x` pax header, `L` GNU long name … */
  type: string;
  linkName: string;
}

/** The size of a tar block; headers and data are padded to it. */
export const tarBlockSize = 512;

// Made on first use (Node builds a fatal decoder with ICU): most commands that load this module read no tar.
let fatalUtf8: TextDecoder | undefined;
const utf8 = { decode: (bytes: Uint8Array) => (fatalUtf8 ??= new TextDecoder("utf-8", { fatal: true })).decode(bytes) };

/** Throws a {@link KilnError} `invalidTar` naming the archive. */
export function invalidTar(archive: string, why: string): KilnError {
  return new KilnError("invalidTar", `Cannot read tar archive "${archive}": ${why}`, {
    hint: "The archive is corrupt, truncated or not a tar file; download it again",
  });
}

function text(block: Uint8Array, start: number, length: number, archive: string): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  try {
    return utf8.decode(end === -1 ? field : field.subarray(0, end));
  } catch {
    throw invalidTar(archive, `a header at field offset ${start} is not UTF-8`);
  }
}

/**
 * A numeric field: octal ASCII ended by NUL or space, or GNU's base-256 (first byte's high bit
 * set) for values that do not fit, such as sizes of 8 GiB and more.
 */
function numeric(block: Uint8Array, start: number, length: number, archive: string): number {
  const field = block.subarray(start, start + length);
  if (field[0]! & 0x80) {
    if (field[0] === 0xff) throw invalidTar(archive, "a header holds a negative number");
    let value = field[0]! & 0x7f;
    for (const byte of field.subarray(1)) {
      value = value * 256 + byte;
      if (!Number.isSafeInteger(value)) throw invalidTar(archive, "a header holds a number too large to use");
    }
    return value;
  }
  let digits = "";
  for (const byte of field) {
    if (byte === 0 || byte === 0x20) {
      if (digits) break;
      continue;
    }
    if (byte < 0x30 || byte > 0x37) throw invalidTar(archive, `a header holds a malformed number at field offset ${start}`);
    digits += String.fromCharCode(byte);
  }
  return digits ? parseInt(digits, 8) : 0;
}

/** True for a block of 512 zero bytes, which marks the end of the archive. */
export function isZeroBlock(block: Uint8Array): boolean {
  for (const byte of block) if (byte !== 0) return false;
  return true;
}

/**
 * Parses one header block (ustar, GNU or old V7), checking its checksum: the sum of the block's
 * bytes with the checksum field read as spaces, unsigned, or signed as some old tars wrote it.
 *
 * @example
 * const header = parseTarHeader(bytes.subarray(0, 512), "pkg-1.0.tar.gz");
 */
export function parseTarHeader(block: Uint8Array, archive: string): TarHeader {
  const stored = numeric(block, 148, 8, archive);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < tarBlockSize; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  if (stored !== unsigned && stored !== signed) throw invalidTar(archive, "a header's checksum does not match");
  const magic = text(block, 257, 6, archive);
  const ustar = magic === "ustar" && block[262] === 0;
  const name = text(block, 0, 100, archive);
  const prefix = ustar ? text(block, 345, 155, archive) : "";
  return {
    name: prefix ? `${prefix}/${name}` : name,
    mode: numeric(block, 100, 8, archive) & 0o7777,
    size: numeric(block, 124, 12, archive),
    type: block[156] === 0 ? "0" : String.fromCharCode(block[156]!),
    linkName: text(block, 157, 100, archive),
  };
}

/**
 * Parses a pax extended header's records, `"<length> <key>=<value>\n"`, where the length counts
 * the whole record in bytes.
 *
 * @example
 * parsePaxRecords(new TextEncoder().encode("16 path=a/b.txt\n"), "x.tar"); // Map { "path" => "a/b.txt" }
 */
export function parsePaxRecords(data: Uint8Array, archive: string): Map<string, string> {
  const records = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    if (data[at] === 0) break;
    const space = data.indexOf(0x20, at);
    const lengthText = space === -1 ? "" : new TextDecoder().decode(data.subarray(at, space));
    const length = /^[0-9]{1,9}$/.test(lengthText) ? Number(lengthText) : NaN;
    if (!(length > space - at + 1) || at + length > data.length || data[at + length - 1] !== 0x0a) {
      throw invalidTar(archive, "a pax extended header is malformed");
    }
    let record: string;
    try {
      record = utf8.decode(data.subarray(space + 1, at + length - 1));
    } catch {
      throw invalidTar(archive, "a pax extended header is not UTF-8");
    }
    const equals = record.indexOf("=");
    if (equals <= 0) throw invalidTar(archive, "a pax extended header record has no key");
    records.set(record.slice(0, equals), record.slice(equals + 1));
    at += length;
  }
  return records;
}
