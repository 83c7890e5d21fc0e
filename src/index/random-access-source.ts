/**
 * Bytes that can be read at any offset: a buffer, a file, or a remote file over HTTP range
 * requests. The same shape as the zip reader's source in `src/archive`.
 *
 * @example
 * const tail = await source.read(source.size - 22, 22);
 */
export interface RandomAccessSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/**
 * A {@link RandomAccessSource} over bytes in memory.
 *
 * @example
 * const source = bytesSource(wheelBytes);
 */
export function bytesSource(bytes: Uint8Array): RandomAccessSource {
  return {
    size: bytes.byteLength,
    read: async (offset, length) => {
      if (offset < 0 || length < 0 || offset + length > bytes.byteLength) {
        throw new RangeError(`Cannot read ${length} bytes at ${offset} of ${bytes.byteLength}`);
      }
      return bytes.subarray(offset, offset + length);
    },
  };
}
