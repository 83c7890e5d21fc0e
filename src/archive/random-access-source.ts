import { KilnError } from "../core/index.js";

/**
 * Bytes that can be read at any offset: a buffer in memory, a file, or a remote file read with
 * HTTP range requests. The zip reader asks for few, large ranges, so a slow source stays cheap.
 */
export interface RandomAccessSource {
  /** Total length in bytes. */
  readonly size: number;
  /**
   * Reads `length` bytes starting at `offset`. Callers stay inside `[0, size]`; a source returns
   * exactly `length` bytes or rejects.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/**
 * A {@link RandomAccessSource} over bytes already in memory; reads are views, not copies.
 *
 * @example
 * const archive = await openZip(bytesSource(await file.bytes()));
 */
export function bytesSource(bytes: Uint8Array): RandomAccessSource {
  return {
    size: bytes.length,
    read: async (offset, length) => {
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > bytes.length) {
        throw new RangeError(`Cannot read ${length} bytes at ${offset} from ${bytes.length} bytes`);
      }
      return bytes.subarray(offset, offset + length);
    },
  };
}

/**
 * Reads a range and checks the source kept its promise, so a short read from a lying source
 * surfaces as a clear error rather than a misparse.
 */
export async function readRange(source: RandomAccessSource, offset: number, length: number, what: string): Promise<Uint8Array> {
  const bytes = await source.read(offset, length);
  if (bytes.length !== length) {
    throw new KilnError("invalidZip", `Cannot read ${what}: asked for ${length} bytes at offset ${offset}, got ${bytes.length}`, {
      hint: "The file is truncated or the server does not honour range requests",
    });
  }
  return bytes;
}
