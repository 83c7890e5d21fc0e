/** One HTTP request as the index layer makes it. */
export interface HttpRequest {
  url: string;
  /** `GET` when absent. */
  method?: "GET" | "HEAD";
  /** Header names in any case. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /**
   * Fail with `httpTimeout` when no progress is made for this long: connecting, waiting for the
   * headers, or between two chunks of the body. An idle limit, not a total one, so a large wheel
   * on a slow line still downloads.
   */
  idleTimeoutMs?: number;
}

/** The answer to an {@link HttpRequest}, after redirects were followed. */
export interface HttpResponse {
  /** The final URL, after redirects: relative links on the page resolve against it. */
  url: string;
  status: number;
  statusText: string;
  headers: { get(name: string): string | null };
  /**
   * The body, decoded from any `Content-Encoding`, read once. The idle timeout applies between
   * chunks. Not consuming it leaks the connection until {@link HttpResponse.cancel}.
   */
  body: AsyncIterable<Uint8Array>;
  /** Drops the body without reading it. */
  cancel(): void;
}

/**
 * The HTTP I/O the index layer needs, injected so it runs in a browser as well as in Node:
 * {@link fetchHttpClient} wraps the global `fetch`; `src/platform/node-http.ts` adds proxies,
 * CA bundles and `.netrc` credentials. Network failures are `KilnError`s with code
 * `networkError`, idle timeouts `httpTimeout`; HTTP error statuses are returned, not thrown.
 *
 * @example
 * const response = await http.request({ url: "https://pypi.org/simple/packaging/", idleTimeoutMs: 30_000 });
 * const bytes = await readBody(response);
 */
export interface HttpClient {
  request(request: HttpRequest): Promise<HttpResponse>;
}
