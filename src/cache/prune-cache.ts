import { BlobCache } from "./blob-cache.js";
import { decodeRecord } from "./cache-record.js";
import type { CacheStore, CacheStoreEntry } from "./cache-store.js";
import { digestHex } from "./digest.js";

/** Options for {@link pruneCache}. */
export interface PruneCacheOptions {
  /** Entries unused for longer than this are removed (default 30 days). */
  maxAgeMs?: number;
  now?: number;
}

/** What {@link pruneCache} did. */
export interface PruneResult {
  removedFiles: number;
  removedBytes: number;
  keptFiles: number;
  keptBytes: number;
}

/**
 * The sum of prune results (of the parts of a cache each pruned on its own).
 *
 * @example
 * const total = sumPruneResults([await pruneCache(store), unpacked, runtime]);
 */
export function sumPruneResults(results: readonly PruneResult[]): PruneResult {
  const total: PruneResult = { removedFiles: 0, removedBytes: 0, keptFiles: 0, keptBytes: 0 };
  for (const result of results) {
    total.removedFiles += result.removedFiles;
    total.removedBytes += result.removedBytes;
    total.keptFiles += result.keptFiles;
    total.keptBytes += result.keptBytes;
  }
  return total;
}

/** The buckets the index cache owns; other parts of kiln keep their own beside them. */
export const indexCacheBuckets = ["blobs", "http", "metadata", "urls"] as const;

/**
 * Removes what the index cache no longer needs: entries unused for `maxAgeMs`, damaged ones
 * (a blob whose bytes do not match its name, a record failing its checksum) and URL pointers to
 * missing blobs. Buckets other parts of kiln keep in the same root are left alone.
 *
 * @example
 * const result = await pruneCache(store, { maxAgeMs: 7 * 86_400_000 });
 */
export async function pruneCache(store: CacheStore, options: PruneCacheOptions = {}): Promise<PruneResult> {
  const now = options.now ?? Date.now();
  const maxAge = options.maxAgeMs ?? 30 * 86_400_000;
  const result: PruneResult = { removedFiles: 0, removedBytes: 0, keptFiles: 0, keptBytes: 0 };
  for (const bucket of indexCacheBuckets) {
    for (const entry of await store.list(bucket)) {
      const keep = now - entry.modified <= maxAge && (await isIntact(store, bucket, entry));
      if (keep) {
        result.keptFiles++;
        result.keptBytes += entry.size;
      } else {
        await store.delete(entry.key);
        result.removedFiles++;
        result.removedBytes += entry.size;
      }
    }
  }
  return result;
}

async function isIntact(store: CacheStore, bucket: string, entry: CacheStoreEntry): Promise<boolean> {
  const bytes = await store.read(entry.key);
  if (bytes === undefined) return false;
  const name = entry.key.split("/").pop()!;
  if (bucket === "blobs") return (await digestHex("sha256", bytes)) === name;
  if (bucket === "urls") {
    const sha256 = new TextDecoder().decode(bytes);
    return /^[0-9a-f]{64}$/.test(sha256) && (await store.read(BlobCache.key(sha256))) !== undefined;
  }
  return (await decodeRecord(bytes)) !== undefined;
}
