/** The response headers an HTTP cache entry keeps (lower-case names). */
export type CachedHeaders = Partial<
  Record<"content-type" | "etag" | "last-modified" | "cache-control" | "date" | "expires" | "age", string>
>;

/** What kiln stores about a cached HTTP response. */
export interface HttpCacheMeta {
  /** The requested URL. */
  url: string;
  /** The URL after redirects. */
  finalUrl: string;
  status: number;
  headers: CachedHeaders;
  /** When the response was received (or last revalidated), in milliseconds since the epoch. */
  storedAt: number;
}

/**
 * Keeps the headers that matter for caching and parsing from a response.
 *
 * @example
 * pickCachedHeaders(response.headers); // { etag: '"abc"', "cache-control": "max-age=600" }
 */
export function pickCachedHeaders(headers: { get(name: string): string | null }): CachedHeaders {
  const kept: CachedHeaders = {};
  for (const name of ["content-type", "etag", "last-modified", "cache-control", "date", "expires", "age"] as const) {
    const value = headers.get(name);
    if (value !== null) kept[name] = value;
  }
  return kept;
}

/**
 * Parses `Cache-Control` into directive → value (`true` for bare directives), names lower-cased.
 *
 * @example
 * parseCacheControl('max-age=600, public, no-cache="set-cookie"'); // { "max-age": "600", public: true, "no-cache": "set-cookie" }
 */
export function parseCacheControl(value: string | undefined): Record<string, string | true> {
  const directives: Record<string, string | true> = {};
  for (const part of (value ?? "").split(",")) {
    const match = /^\s*([A-Za-z-]+)\s*(?:=\s*(?:"([^"]*)"|([^\s,]*)))?\s*$/.exec(part);
    if (match) directives[match[1]!.toLowerCase()] = match[2] ?? match[3] ?? true;
  }
  return directives;
}

/**
 * Whether a response may be stored at all (RFC 9111 §3, for a private cache): a 200 without
 * `no-store`.
 *
 * @example
 * isStorable(200, { "cache-control": "no-store" }); // false
 */
export function isStorable(status: number, headers: CachedHeaders): boolean {
  return status === 200 && !("no-store" in parseCacheControl(headers["cache-control"]));
}

/**
 * Whether a stored response may be used without asking the server (RFC 9111 §4.2): its age is
 * below `max-age` (or `Expires` − `Date`) and `no-cache` is absent. With no freshness
 * information the entry is stale, so kiln revalidates with `If-None-Match` /
 * `If-Modified-Since` rather than guess.
 *
 * @example
 * isFresh({ …meta, headers: { "cache-control": "max-age=600" }, storedAt: Date.now() }, Date.now()); // true
 */
export function isFresh(meta: HttpCacheMeta, now: number): boolean {
  const directives = parseCacheControl(meta.headers["cache-control"]);
  if ("no-cache" in directives) return false;
  const lifetime = freshnessLifetime(meta.headers, directives);
  if (lifetime === undefined) return false;
  const initialAge = Number(meta.headers.age ?? 0) || 0;
  return initialAge + (now - meta.storedAt) / 1000 < lifetime;
}

function freshnessLifetime(headers: CachedHeaders, directives: Record<string, string | true>): number | undefined {
  const maxAge = directives["max-age"];
  if (typeof maxAge === "string" && /^\d+$/.test(maxAge)) return Number(maxAge);
  if (headers.expires === undefined) return undefined;
  const expires = Date.parse(headers.expires);
  const date = headers.date === undefined ? Number.NaN : Date.parse(headers.date);
  if (Number.isNaN(expires) || Number.isNaN(date)) return 0;
  return Math.max(0, (expires - date) / 1000);
}

/**
 * The headers that turn a request into a conditional one for a stored response.
 *
 * @example
 * revalidationHeaders(meta); // { "if-none-match": '"abc"' }
 */
export function revalidationHeaders(meta: HttpCacheMeta): Record<string, string> {
  const headers: Record<string, string> = {};
  if (meta.headers.etag) headers["if-none-match"] = meta.headers.etag;
  if (meta.headers["last-modified"]) headers["if-modified-since"] = meta.headers["last-modified"];
  return headers;
}

/**
 * Merges the headers of a 304 into the stored ones (RFC 9111 §4.3.4) and restarts the clock.
 *
 * @example
 * const renewed = renewCacheMeta(meta, response.headers, Date.now());
 */
export function renewCacheMeta(meta: HttpCacheMeta, headers: { get(name: string): string | null }, now: number): HttpCacheMeta {
  const fresh = pickCachedHeaders(headers);
  delete fresh["content-type"];
  const merged: CachedHeaders = { ...meta.headers, ...fresh };
  if (fresh.age === undefined) delete merged.age;
  return { ...meta, headers: merged, storedAt: now };
}
