import { KilnError } from "../core/index.js";

/** Options for {@link gunzipBounded}. */
export interface GunzipBoundedOptions {
  /** Largest output accepted, in bytes; more is refused as a gzip bomb. */
  maxSize: number;
  /** What the bytes are, for messages (a file name or URL). */
  name: string;
}

/**
 * Decompresses gzip data (one or more members, as `gzip` writes and Python's `tarfile` reads)
 * with the platform's `DecompressionStream`, which checks each member's CRC-32 and length.
 * Reading stops as soon as the output passes `maxSize`, so a small hostile file cannot make kiln
 * allocate without bound.
 *
 * @example
 * const tar = await gunzipBounded(bytes, { maxSize: 512 * 2 ** 20, name: "pkg-1.0.tar.gz" });
 */
export async function gunzipBounded(bytes: Uint8Array, options: GunzipBoundedOptions): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("gzip"));
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > options.maxSize) {
        await reader.cancel().catch(() => undefined);
        throw new KilnError("archiveTooLarge", `Cannot decompress "${options.name}": it expands to more than ${options.maxSize} bytes`, {
          hint: "The archive is corrupt or hostile (a gzip bomb); if it is genuine, raise the size limit",
        });
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof KilnError) throw error;
    throw new KilnError("invalidGzip", `Cannot decompress "${options.name}": ${(error as Error).message}`, {
      hint: "The file is not gzip data, or it is truncated or corrupt; download it again",
      cause: error,
    });
  }
  const output = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    output.set(chunk, at);
    at += chunk.length;
  }
  return output;
}
