import { KilnError, silentReporter, type Reporter } from "../core/index.js";
import {
  BlobCache,
  isFresh,
  isStorable,
  pickCachedHeaders,
  openCacheRecord,
  renewCacheMeta,
  revalidationHeaders,
  writeCacheRecord,
  digestHex,
  type CacheStore,
  type HttpCacheMeta,
} from "../cache/index.js";
import type { HttpClient, HttpRequest, HttpResponse } from "./http-client.js";
import { HttpStatusError } from "./http-status-error.js";
import { readBody } from "./read-body.js";
import { requireProgress } from "./require-progress.js";
import { redactUrl } from "./redact-url.js";
import { basicAuthorization, splitUrlCredentials, type Credentials } from "./url-credentials.js";
import { verifyHashes } from "./verify-hashes.js";
import { defaultRetryPolicy, withRetries, type RetryPolicy } from "./with-retries.js";

/**
 * How long a request may go without progress before it is given up, when the user's settings
 * (`--timeout`, `PIP_TIMEOUT`, `UV_HTTP_TIMEOUT`, pip.conf's `timeout`) say nothing: pip's 15 s
 * with slack. Everything kiln fetches uses it: index pages and files, requirement files, the npm
 * registry.
 *
 * @example
 * const timeoutMs = settings.timeoutMs ?? defaultIdleTimeoutMs;
 */
export const defaultIdleTimeoutMs = 30_000;

/** Options for {@link HttpSession}. */
export interface HttpSessionOptions {
  http: HttpClient;
  /** Where pages, files and metadata are cached; nothing is cached when absent. */
  cache?: CacheStore;
  /** Never touch the network: use cached copies however old, fail with `offline` otherwise. */
  offline?: boolean;
  /** Revalidate every cached page with the server (`--refresh`); files stay cached by hash. */
  refresh?: boolean;
  retry?: RetryPolicy;
  /** Idle timeout per request (default {@link defaultIdleTimeoutMs}). */
  idleTimeoutMs?: number;
  /** The largest index page accepted (default 512 MiB; PyPI's largest pages are tens of MB). */
  maxPageBytes?: number;
  reporter?: Reporter;
  /** The clock, for cache freshness. */
  now?: () => number;
  /** Credentials for a URL with none of its own: `.netrc` in Node. */
  credentialsFor?: (url: URL) => Credentials | undefined;
}

/**
 * How {@link HttpSession.getPage} stores a parsed page in the cache instead of its bytes.
 * `decode` may throw on damaged input; the page is then fetched again.
 *
 * @example
 * const jsonCodec: PageCodec<unknown> = { name: "json-1", encode: (v) => new TextEncoder().encode(JSON.stringify(v)), decode: (b) => JSON.parse(new TextDecoder().decode(b)) };
 */
export interface PageCodec<T> {
  /** Part of the cache key (`[a-z0-9-]`): a new layout needs a new name. */
  name: string;
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

/** A cached page's metadata: the HTTP headers, and with a codec the sha256 of the page as served. */
type StoredPageMeta = HttpCacheMeta & { pageSha256?: string };

/**
 * Whether an unchanged page's record must be rewritten: only when its headers changed or give
 * it a lifetime (then the clock restarts); a server that sends neither leaves nothing to renew.
 */
function needsRenewal(meta: HttpCacheMeta, response: HttpResponse): boolean {
  const fresh = pickCachedHeaders(response.headers);
  if (fresh["cache-control"] !== undefined || fresh.expires !== undefined) return true;
  const significant = (headers: HttpCacheMeta["headers"]) => JSON.stringify({ ...headers, date: undefined, age: undefined });
  return significant(fresh) !== significant(meta.headers);
}

/** Options for {@link HttpSession.getPage}. */
export interface GetPageOptions<T> {
  accept: string;
  parse: (page: FetchedPage) => T;
  signal?: AbortSignal;
  /** Cache the parsed value (see {@link PageCodec}); such pages are also fetched once per session. */
  codec?: PageCodec<T>;
  /**
   * Called at most once, with a codec only, with the decoded cached copy of a page that is
   * being revalidated (stale by HTTP's rules, or `--refresh`), while the request is under
   * way: a hint for prefetching, never an answer. Errors it throws are ignored.
   */
  onStale?: (value: T) => void;
}

/** A page as {@link HttpSession.getPage} hands it to its parser. */
export interface FetchedPage {
  /** The final URL, after redirects. */
  url: string;
  contentType: string | null;
  body: Uint8Array;
}

/**
 * The HTTP behaviour every package source shares: bounded retries with backoff, idle timeouts,
 * the HTTP cache for pages (RFC 9111 freshness, ETag revalidation), the content-addressed cache
 * for files, hash verification, `--offline` and `--refresh`.
 *
 * @example
 * const session = new HttpSession({ http: fetchHttpClient(), cache: new MemoryCacheStore() });
 * const files = await session.getPage(url, { accept: simpleApiAccept, parse: (page) => parseProjectPage(…) });
 */
export class HttpSession {
  readonly http: HttpClient;
  readonly cache: CacheStore | undefined;
  readonly offline: boolean;
  readonly refresh: boolean;
  readonly retry: RetryPolicy;
  readonly idleTimeoutMs: number;
  readonly reporter: Reporter;
  private readonly maxPageBytes: number;
  private readonly now: () => number;
  private readonly blobs: BlobCache | undefined;
  private readonly credentialsFor: ((url: URL) => Credentials | undefined) | undefined;
  private readonly knownCredentials = new Map<string, Credentials>();
  private readonly pages = new Map<string, Promise<unknown>>();

  constructor(options: HttpSessionOptions) {
    this.http = options.http;
    this.cache = options.cache;
    this.offline = options.offline ?? false;
    this.refresh = options.refresh ?? false;
    this.retry = options.retry ?? defaultRetryPolicy;
    this.idleTimeoutMs = options.idleTimeoutMs ?? defaultIdleTimeoutMs;
    this.maxPageBytes = options.maxPageBytes ?? 512 * 1024 * 1024;
    this.reporter = options.reporter ?? silentReporter;
    this.now = options.now ?? Date.now;
    this.blobs = options.cache ? new BlobCache(options.cache) : undefined;
    this.credentialsFor = options.credentialsFor;
  }

  /**
   * Takes credentials out of an index URL and remembers them for every request to the same
   * origin (the index's pages and the files it serves from its own host), as pip does; returns
   * the URL without them.
   */
  registerCredentials(url: string): string {
    const split = splitUrlCredentials(url);
    if (split.credentials) this.knownCredentials.set(new URL(split.url).origin, split.credentials);
    return split.url;
  }

  /**
   * Sends one request with the session's authentication and idle timeout, and a body that must
   * keep making progress (see {@link requireProgress}); no retries, no cache.
   * Credentials in the URL itself win over remembered ones, which win over `credentialsFor`.
   */
  async send(request: HttpRequest): Promise<HttpResponse> {
    const split = splitUrlCredentials(request.url);
    const target = new URL(split.url);
    const credentials = split.credentials ?? this.knownCredentials.get(target.origin) ?? this.credentialsFor?.(target);
    const headers = { ...request.headers };
    if (credentials && !Object.keys(headers).some((h) => h.toLowerCase() === "authorization")) {
      headers.authorization = basicAuthorization(credentials);
    }
    const timed = { idleTimeoutMs: this.idleTimeoutMs, ...request, url: split.url, headers };
    const response = await this.http.request(timed);
    return timed.idleTimeoutMs === undefined ? response : requireProgress(response, timed.idleTimeoutMs);
  }

  /**
   * Fetches and parses a page, through the HTTP cache. `parse` runs inside the retry loop (a
   * garbage page is retried) and before caching (garbage is never cached). Returns `undefined`
   * for 404 and 410: the index does not have the project.
   *
   * With a `codec` the cache keeps the parsed value instead of the page, with the page's sha256:
   * a cached page is decoded, not parsed, and a page downloaded again (a server that sends no
   * validators) is parsed only when its bytes changed.
   */
  async getPage<T>(
    url: string,
    options: GetPageOptions<T>,
  ): Promise<T | undefined> {
    const { codec } = options;
    if (!codec) return this.fetchPage(url, options);
    // One answer per page for the whole session: a command that resolves twice (with and
    // without fallbacks, or keeping installed versions) asks the server once, and concurrent
    // requests for one page share it.
    const identity = `${options.accept}\n${url}\n${codec.name}`;
    let pending = this.pages.get(identity) as Promise<T | undefined> | undefined;
    if (!pending) {
      pending = this.fetchPage(url, options);
      this.pages.set(identity, pending);
      pending.catch(() => this.pages.delete(identity));
    }
    return pending;
  }

  private async fetchPage<T>(url: string, options: GetPageOptions<T>): Promise<T | undefined> {
    const { codec } = options;
    const key = this.cache ? await this.pageKey(url, options.accept, codec) : undefined;
    // Only the record's header is read before the request goes out: checking the body's
    // checksum and decoding it wait until the request is under way (a resolver asks for dozens
    // of pages at once, and megabytes of cached pages would otherwise hold up every request).
    const cached = key ? await openCacheRecord<StoredPageMeta>(this.cache!, key) : undefined;
    const fromCache = (meta: StoredPageMeta, body: Uint8Array) =>
      codec ? codec.decode(body) : options.parse({ url: meta.finalUrl, contentType: meta.headers["content-type"] ?? null, body });
    if (cached && (this.offline || (!this.refresh && isFresh(cached.meta, this.now())))) {
      const body = await cached.body();
      const parsed = body ? this.tryParseCached(() => fromCache(cached.meta, body)) : { ok: false as const };
      if (parsed.ok) return parsed.value;
    }
    if (this.offline) throw this.offlineError(url);
    let cachedBody: Promise<Uint8Array | undefined> | undefined;
    const bodyOfCached = () => (cachedBody ??= cached ? cached.body() : Promise.resolve(undefined));
    // The stale copy is decoded at most once: for the hint now, and as the answer if unchanged.
    let staleDecoded: Promise<{ ok: true; value: T } | { ok: false }> | undefined;
    const decodeStale = () =>
      (staleDecoded ??= bodyOfCached().then((body) => (body && codec ? this.tryParseCached(() => codec.decode(body)) : { ok: false as const })));
    const request = async (revalidate: boolean): Promise<T | undefined> => {
      const headers: Record<string, string> = { accept: options.accept };
      if (cached && revalidate) Object.assign(headers, revalidationHeaders(cached.meta));
      const response = await this.send({ url, headers, signal: options.signal });
      if (response.status === 304 && cached && revalidate) {
        response.cancel();
        const body = await bodyOfCached();
        // A damaged copy cannot answer a 304: ask again for the page itself.
        if (!body) return request(false);
        const meta = renewCacheMeta(cached.meta, response.headers, this.now());
        const early = codec ? await decodeStale() : undefined;
        const value = early?.ok ? early.value : fromCache(meta, body);
        await writeCacheRecord(this.cache!, key!, meta, body);
        return value;
      }
      if (response.status === 404 || response.status === 410) {
        response.cancel();
        return undefined;
      }
      if (response.status !== 200) throw HttpStatusError.from(response);
      const body = await readBody(response, { maxBytes: this.maxPageBytes });
      const pageSha256 = codec && key ? await digestHex("sha256", body) : undefined;
      if (cached && pageSha256 !== undefined && cached.meta.pageSha256 === pageSha256 && cached.meta.finalUrl === response.url) {
        const unchanged = await decodeStale();
        const storedBody = await bodyOfCached();
        if (unchanged.ok && storedBody) {
          if (needsRenewal(cached.meta, response)) await this.storePage(key, url, response, storedBody, pageSha256);
          return unchanged.value;
        }
      }
      const value = options.parse({ url: response.url, contentType: response.headers.get("content-type"), body });
      await this.storePage(key, url, response, codec ? codec.encode(value) : body, pageSha256);
      return value;
    };
    const revalidation = withRetries(() => request(true), this.retryOptions(url, options.signal));
    if (!(cached && codec && options.onStale)) return revalidation;
    const onStale = options.onStale;
    const hinted = decodeStale().then((stale) => {
      if (!stale.ok) return;
      try {
        onStale(stale.value);
      } catch {
        // A hint that fails only loses the head start.
      }
    });
    // The hint comes before the answer, as GetPageOptions.onStale promises.
    return revalidation.then(async (value) => {
      await hinted;
      return value;
    });
  }

  /**
   * A file's bytes, verified against `hashes`, from the content-addressed cache when a sha256
   * is known and cached, else downloaded (and then cached).
   */
  async getFile(
    url: string,
    options: { hashes: Record<string, string>; signal?: AbortSignal; onProgress?: (received: number, total?: number) => void },
  ): Promise<Uint8Array> {
    const known = options.hashes.sha256?.toLowerCase();
    if (known && /^[0-9a-f]{64}$/.test(known) && this.blobs) {
      const cached = await this.blobs.get(known);
      if (cached) return cached;
    }
    const pointerKey = !known && this.cache ? await this.urlPointerKey(url) : undefined;
    if (pointerKey && !this.refresh) {
      const cached = await this.fromPointer(pointerKey);
      if (cached) return cached;
    }
    if (this.offline) throw this.offlineError(url);
    return withRetries(async () => {
      const response = await this.send({ url, headers: { "accept-encoding": "identity" }, signal: options.signal });
      if (response.status !== 200) throw HttpStatusError.from(response);
      const bytes = await readBody(response, { onProgress: options.onProgress });
      const sha256 = await verifyHashes(bytes, options.hashes, redactUrl(url));
      await this.storeFile(bytes, sha256, pointerKey);
      return bytes;
    }, this.retryOptions(url, options.signal));
  }

  /** Stores bytes that were verified elsewhere (a wheel fetched whole for its metadata). */
  async storeVerifiedFile(bytes: Uint8Array, sha256: string): Promise<void> {
    await this.blobs?.put(bytes, sha256);
  }

  /** Options for {@link withRetries} that report retries through the reporter. */
  retryOptions(url: string, signal?: AbortSignal) {
    return {
      policy: this.retry,
      signal,
      onRetry: (error: KilnError, attempt: number, delayMs: number) =>
        this.reporter.debug(`Retrying ${redactUrl(url)} in ${Math.round(delayMs)} ms (attempt ${attempt + 1}): ${error.message}`),
    };
  }

  /** The error for a network request refused by `--offline`. */
  offlineError(url: string): KilnError {
    return new KilnError("offline", `Cannot fetch ${redactUrl(url)}: offline, and the cache has no copy`, {
      hint: "Run once without --offline to fill the cache",
    });
  }

  private tryParseCached<T>(parse: () => T): { ok: true; value: T } | { ok: false } {
    try {
      return { ok: true, value: parse() };
    } catch {
      return { ok: false };
    }
  }

  private async storePage(key: string | undefined, url: string, response: HttpResponse, body: Uint8Array, pageSha256: string | undefined): Promise<void> {
    if (!key) return;
    const meta: StoredPageMeta = { url, finalUrl: response.url, status: 200, headers: pickCachedHeaders(response.headers), storedAt: this.now() };
    if (pageSha256 !== undefined) meta.pageSha256 = pageSha256;
    if (isStorable(200, meta.headers)) await writeCacheRecord(this.cache!, key, meta, body);
  }

  /** Pages stored raw and pages stored through a codec live under different keys. */
  private async pageKey(url: string, accept: string, codec: PageCodec<unknown> | undefined): Promise<string> {
    const identity = codec ? `${accept}\n${url}\n${codec.name}` : `${accept}\n${url}`;
    return `http/v1/${await digestHex("sha256", new TextEncoder().encode(identity))}`;
  }

  private async storeFile(bytes: Uint8Array, sha256: string, pointerKey: string | undefined): Promise<void> {
    if (!this.blobs) return;
    await this.blobs.put(bytes, sha256);
    if (pointerKey) await this.cache!.write(pointerKey, new TextEncoder().encode(sha256));
  }

  private async urlPointerKey(url: string): Promise<string> {
    return `urls/v1/${await digestHex("sha256", new TextEncoder().encode(url))}`;
  }

  private async fromPointer(key: string): Promise<Uint8Array | undefined> {
    const pointer = await this.cache!.read(key);
    const sha256 = pointer ? new TextDecoder().decode(pointer) : "";
    return /^[0-9a-f]{64}$/.test(sha256) ? this.blobs!.get(sha256) : undefined;
  }
}
