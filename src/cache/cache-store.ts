/** One entry of a {@link CacheStore} listing. */
export interface CacheStoreEntry {
  key: string;
  size: number;
  /** Last write (or last read, where the store records use) in milliseconds since the epoch. */
  modified: number;
}

/**
 * Where the cache keeps its bytes: a directory on disk in Node (`src/platform/node-cache-store.ts`),
 * memory in tests or a browser. Keys are `/`-separated paths of `[a-z0-9._-]` segments, such as
 * `blobs/sha256/ab/ab12…`. A store need not understand what it holds: verification and HTTP
 * semantics live in {@link BlobCache} and the HTTP record format above it.
 *
 * Contract: `write` is atomic (a reader sees the old bytes, the new bytes or nothing, never a
 * mix), also when two processes write the same key at once; `read` of a missing key is
 * `undefined`, not an error; `delete` of a missing key is a no-op.
 *
 * @example
 * await store.write("blobs/sha256/ab/ab12", bytes);
 * const again = await store.read("blobs/sha256/ab/ab12");
 */
export interface CacheStore {
  read(key: string): Promise<Uint8Array | undefined>;
  write(key: string, data: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every entry whose key starts with `prefix` (a whole segment path, such as `blobs`). */
  list(prefix: string): Promise<CacheStoreEntry[]>;
}

/**
 * Throws a `RangeError` unless `key` is a valid {@link CacheStore} key: a programmer error, since
 * keys are built from hashes, never from user input.
 *
 * @example
 * checkCacheKey("http/v1/ab12"); // ok
 * checkCacheKey("../etc/passwd"); // throws RangeError
 */
export function checkCacheKey(key: string): void {
  const segments = key.split("/");
  if (!segments.every((s) => /^[a-z0-9_-][a-z0-9._-]*$/.test(s))) throw new RangeError(`Invalid cache key "${key}"`);
}
