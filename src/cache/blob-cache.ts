import type { CacheStore } from "./cache-store.js";
import { digestHex } from "./digest.js";

/**
 * Content-addressed storage of files (wheels, sdists) by their sha256, verified on every read:
 * a corrupt or truncated entry is deleted and reported as missing, so the caller refetches it.
 * Writing the same content twice (two processes at once) is harmless.
 *
 * @example
 * const blobs = new BlobCache(store);
 * const sha256 = await blobs.put(bytes);
 * const same = await blobs.get(sha256);
 */
export class BlobCache {
  constructor(private readonly store: CacheStore) {}

  /** The cache key of a blob. */
  static key(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new RangeError(`Not a sha256 hex digest: "${sha256}"`);
    return `blobs/sha256/${sha256.slice(0, 2)}/${sha256}`;
  }

  /** The bytes with this sha256, or undefined when absent or corrupt (then also deleted). */
  async get(sha256: string): Promise<Uint8Array | undefined> {
    const key = BlobCache.key(sha256);
    const bytes = await this.store.read(key);
    if (bytes === undefined) return undefined;
    if ((await digestHex("sha256", bytes)) === sha256) return bytes;
    await this.store.delete(key);
    return undefined;
  }

  /** Stores `bytes` and returns their sha256; pass `sha256` when it is already verified. */
  async put(bytes: Uint8Array, sha256?: string): Promise<string> {
    const digest = sha256 ?? (await digestHex("sha256", bytes));
    await this.store.write(BlobCache.key(digest), bytes);
    return digest;
  }
}
