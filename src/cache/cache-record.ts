import type { CacheStore } from "./cache-store.js";
import { digestHex } from "./digest.js";

const magic = "kiln-record-1\n";

/** A cached body with JSON metadata, as {@link readCacheRecord} returns it. */
export interface CacheRecord<Meta> {
  meta: Meta;
  body: Uint8Array;
}

/**
 * Writes a body with JSON metadata under `key`, with the body's sha256 in the header so a torn
 * or corrupted entry is detected on read. Used for HTTP responses and extracted metadata.
 *
 * @example
 * await writeCacheRecord(store, "http/v1/ab12", { url }, body);
 */
export async function writeCacheRecord<Meta>(store: CacheStore, key: string, meta: Meta, body: Uint8Array): Promise<void> {
  const header = JSON.stringify({ sha256: await digestHex("sha256", body), size: body.byteLength, meta });
  const head = new TextEncoder().encode(`${magic}${header}\n`);
  const bytes = new Uint8Array(head.byteLength + body.byteLength);
  bytes.set(head);
  bytes.set(body, head.byteLength);
  await store.write(key, bytes);
}

/**
 * Reads what {@link writeCacheRecord} wrote; `undefined` when absent, and also when damaged
 * (then the entry is deleted so it is refetched).
 *
 * @example
 * const record = await readCacheRecord<{ url: string }>(store, "http/v1/ab12");
 */
export async function readCacheRecord<Meta>(store: CacheStore, key: string): Promise<CacheRecord<Meta> | undefined> {
  const bytes = await store.read(key);
  if (bytes === undefined) return undefined;
  const record = await decodeRecord<Meta>(bytes);
  if (!record) await store.delete(key);
  return record;
}

/**
 * Decodes and verifies a record's bytes; `undefined` when they are damaged.
 *
 * @example
 * const ok = (await decodeRecord(bytes)) !== undefined;
 */
export async function decodeRecord<Meta>(bytes: Uint8Array): Promise<CacheRecord<Meta> | undefined> {
  const split = splitRecord<Meta>(bytes);
  if (!split || !(await bodyMatches(split.header, split.body))) return undefined;
  return { meta: split.header.meta as Meta, body: split.body };
}

interface RecordHeader<Meta> {
  sha256?: unknown;
  size?: unknown;
  meta?: Meta;
}

/** A record's parsed header and its (unchecked) body; undefined when the header is damaged. */
function splitRecord<Meta>(bytes: Uint8Array): { header: RecordHeader<Meta>; body: Uint8Array } | undefined {
  const headerEnd = bytes.indexOf(10, magic.length);
  if (headerEnd < 0 || new TextDecoder().decode(bytes.subarray(0, magic.length)) !== magic) return undefined;
  let header: RecordHeader<Meta>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(magic.length, headerEnd)));
  } catch {
    return undefined;
  }
  if (typeof header !== "object" || header === null) return undefined;
  return { header, body: bytes.subarray(headerEnd + 1) };
}

async function bodyMatches(header: RecordHeader<unknown>, body: Uint8Array): Promise<boolean> {
  return header.size === body.byteLength && header.sha256 === (await digestHex("sha256", body));
}

/** A cache record whose body is verified only when asked for ({@link openCacheRecord}). */
export interface OpenedCacheRecord<Meta> {
  meta: Meta;
  /** The body once its size and sha256 check out; undefined (and the entry deleted) when damaged. Memoized. */
  body(): Promise<Uint8Array | undefined>;
}

/**
 * Reads a record's metadata now and leaves checking its body for later: a caller that only
 * needs the metadata first (HTTP freshness, validators) can act on it before paying for the
 * body's checksum. `undefined` when absent, or when the header is damaged (then the entry is
 * deleted).
 *
 * @example
 * const record = await openCacheRecord<{ url: string }>(store, "http/v1/ab12");
 * const body = record && (await record.body());
 */
export async function openCacheRecord<Meta>(store: CacheStore, key: string): Promise<OpenedCacheRecord<Meta> | undefined> {
  const bytes = await store.read(key);
  if (bytes === undefined) return undefined;
  const split = splitRecord<Meta>(bytes);
  if (!split) {
    await store.delete(key);
    return undefined;
  }
  let checked: Promise<Uint8Array | undefined> | undefined;
  return {
    meta: split.header.meta as Meta,
    body: () =>
      (checked ??= (async () => {
        if (await bodyMatches(split.header, split.body)) return split.body;
        await store.delete(key);
        return undefined;
      })()),
  };
}
