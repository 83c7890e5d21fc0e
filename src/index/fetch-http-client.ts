import { KilnError, isKilnError } from "../core/index.js";
import type { HttpClient, HttpRequest, HttpResponse } from "./http-client.js";

/** Options for {@link fetchHttpClient}. */
export interface FetchHttpClientOptions {
  /** The fetch function to use; the global one when absent. */
  fetch?: typeof globalThis.fetch;
}

/**
 * An {@link HttpClient} over the web-standard `fetch`: what a browser page uses, and the Node
 * default when no proxy, CA bundle or `.netrc` is involved.
 *
 * @example
 * const http = fetchHttpClient();
 * const response = await http.request({ url: "https://pypi.org/simple/", idleTimeoutMs: 30_000 });
 */
export function fetchHttpClient(options: FetchHttpClientOptions = {}): HttpClient {
  const fetchFunction = options.fetch ?? globalThis.fetch.bind(globalThis);
  return { request: (request) => requestWithFetch(fetchFunction, request) };
}

async function requestWithFetch(fetchFunction: typeof globalThis.fetch, request: HttpRequest): Promise<HttpResponse> {
  const controller = new AbortController();
  const idle = new IdleTimer(controller, request.idleTimeoutMs);
  const onAbort = () => controller.abort(request.signal?.reason);
  request.signal?.addEventListener("abort", onAbort, { once: true });
  if (request.signal?.aborted) onAbort();
  let response: Response;
  try {
    idle.start();
    response = await fetchFunction(request.url, {
      method: request.method ?? "GET",
      headers: request.headers ?? {},
      redirect: "follow",
      signal: controller.signal,
    });
  } catch (error) {
    idle.stop();
    request.signal?.removeEventListener("abort", onAbort);
    throw translateError(error, request, idle.fired);
  }
  idle.start();
  const done = () => {
    idle.stop();
    request.signal?.removeEventListener("abort", onAbort);
  };
  return {
    url: response.url || request.url,
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
    body: readChunks(response, { request, idle, done }),
    cancel: () => {
      done();
      response.body?.cancel().catch(() => {});
    },
  };
}

async function* readChunks(
  response: Response,
  context: { request: HttpRequest; idle: IdleTimer; done: () => void },
): AsyncGenerator<Uint8Array> {
  if (!response.body) {
    context.done();
    return;
  }
  const reader = response.body.getReader();
  try {
    for (;;) {
      context.idle.start();
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } catch (error) {
    throw translateError(error, context.request, context.idle.fired);
  } finally {
    context.done();
    reader.releaseLock();
  }
}

/** Aborts the request when no progress is made for `timeoutMs`. */
class IdleTimer {
  fired = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  constructor(
    private readonly controller: AbortController,
    private readonly timeoutMs: number | undefined,
  ) {}
  start(): void {
    this.stop();
    if (this.timeoutMs === undefined) return;
    this.timer = setTimeout(() => {
      this.fired = true;
      this.controller.abort();
    }, this.timeoutMs);
  }
  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function translateError(error: unknown, request: HttpRequest, timedOut: boolean): unknown {
  if (isKilnError(error)) return error;
  if (timedOut) {
    return new KilnError("httpTimeout", `No response from ${request.url} for ${request.idleTimeoutMs} ms`, {
      hint: "The server or the network is slow; try again, or raise the timeout (--timeout)",
    });
  }
  if (request.signal?.aborted) return request.signal.reason ?? error;
  const detail = describeNetworkError(error);
  return new KilnError("networkError", `Cannot reach ${request.url}: ${detail}`, {
    cause: error,
    hint: "Check the network connection, the URL and any proxy settings (HTTPS_PROXY)",
  });
}

/** undici puts the interesting part (ECONNRESET, ENOTFOUND) in `cause`. */
function describeNetworkError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    parts.push(typeof code === "string" ? `${current.message} (${code})` : current.message);
    current = current.cause;
  }
  const useful = parts.length > 1 ? parts.filter((part) => part !== "fetch failed") : parts;
  return useful.length ? [...new Set(useful)].join(": ") : String(error);
}
