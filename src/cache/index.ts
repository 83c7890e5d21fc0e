/**
 * kiln's cache, over an injected {@link CacheStore} (a directory in Node, memory in a browser):
 *
 * - Files are content-addressed by sha256 and verified on every read; a damaged entry is dropped
 *   and refetched.
 * - HTTP responses (index pages) are kept with the headers RFC 9111 needs
 *   (https://www.rfc-editor.org/rfc/rfc9111): `Cache-Control: max-age`/`no-cache`/`no-store`,
 *   `Expires`, `Age`, and `ETag`/`Last-Modified` for conditional requests. PyPI's simple pages say
 *   `max-age=600`; with no freshness information kiln revalidates instead of guessing.
 * - Every record carries its body's sha256, so a torn write is detected, not parsed.
 */
export { checkCacheKey, type CacheStore, type CacheStoreEntry } from "./cache-store.js";
export { MemoryCacheStore } from "./memory-cache-store.js";
export { BlobCache } from "./blob-cache.js";
export { digestHex, legacyDigestHex, useHostDigest, strongestHash, verifiableHashes, legacyHashes, type HashName, type HostDigest, type LegacyHashName } from "./digest.js";
export { writeCacheRecord, readCacheRecord, openCacheRecord, decodeRecord, type CacheRecord, type OpenedCacheRecord } from "./cache-record.js";
export {
  isFresh,
  isStorable,
  parseCacheControl,
  pickCachedHeaders,
  renewCacheMeta,
  revalidationHeaders,
  type CachedHeaders,
  type HttpCacheMeta,
} from "./http-freshness.js";
export { pruneCache, indexCacheBuckets, sumPruneResults, type PruneCacheOptions, type PruneResult } from "./prune-cache.js";
