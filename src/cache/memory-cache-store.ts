import { checkCacheKey, type CacheStore, type CacheStoreEntry } from "./cache-store.js";

/**
 * A {@link CacheStore} in memory: for tests, and for a browser page that wants a cache for one
 * session.
 *
 * @example
 * const store = new MemoryCacheStore();
 * await store.write("http/v1/ab", new Uint8Array([1]));
 */
export class MemoryCacheStore implements CacheStore {
  private readonly entries = new Map<string, { data: Uint8Array; modified: number }>();

  async read(key: string): Promise<Uint8Array | undefined> {
    checkCacheKey(key);
    return this.entries.get(key)?.data.slice();
  }

  async write(key: string, data: Uint8Array): Promise<void> {
    checkCacheKey(key);
    this.entries.set(key, { data: data.slice(), modified: Date.now() });
  }

  async delete(key: string): Promise<void> {
    checkCacheKey(key);
    this.entries.delete(key);
  }

  async list(prefix: string): Promise<CacheStoreEntry[]> {
    const start = prefix === "" ? "" : `${prefix.replace(/\/$/, "")}/`;
    return [...this.entries]
      .filter(([key]) => key.startsWith(start))
      .map(([key, entry]) => ({ key, size: entry.data.byteLength, modified: entry.modified }));
  }
}
