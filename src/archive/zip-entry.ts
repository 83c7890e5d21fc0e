/** Compression methods kiln can read: 0 (stored) and 8 (deflate). */
export type ZipCompressionMethod = number;

/**
 * One file or directory in a zip archive, as its central directory describes it. Sizes and
 * offsets are already resolved from zip64 extra fields.
 */
export interface ZipEntry {
  /** The name as stored, `/`-separated; directories end with `/`. Not yet checked for safety. */
  readonly name: string;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  /** 0 = stored, 8 = deflate; anything else is refused when read. */
  readonly method: ZipCompressionMethod;
  readonly crc32: number;
  /** Offset of the entry's local header in the archive. */
  readonly offset: number;
  readonly isDirectory: boolean;
  /** Unix `st_mode` from the external attributes (file type and permission bits), if recorded. */
  readonly unixMode: number | undefined;
}
