import { request as httpRequest, type IncomingMessage, type RequestOptions } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { Socket } from "node:net";
import { connect as tlsConnect, createSecureContext, rootCertificates, type SecureContext } from "node:tls";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { Agent as HttpAgent } from "node:http";
import { cachedLookup } from "./cached-lookup.js";
import { Http2Sessions, type RawResponse } from "./node-http2.js";
import { KilnError } from "../core/index.js";
import type { HttpClient, HttpRequest, HttpResponse } from "../index/index.js";
import { proxyFor } from "./proxy-for.js";

/** Options for {@link nodeHttpClient}. */
export interface NodeHttpClientOptions {
  /** For `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY`. */
  env?: Record<string, string | undefined>;
  /** An explicit proxy URL (pip's `proxy`), used instead of the environment's. */
  proxy?: string;
  /** Extra trusted CA certificates (PEM text), added to Node's built-in roots. */
  ca?: string;
  /** Most redirects followed for one request (default 10). */
  maxRedirects?: number;
  /**
   * Most HTTP/1.1 connections open to one host at a time (default 6, as browsers allow). More
   * requests wait for a kept-alive connection: each new TLS connection costs a handshake on the
   * main thread, and a resolver that starts all its page requests at once would otherwise open
   * one per page.
   */
  maxSocketsPerHost?: number;
  /**
   * Use HTTP/2 with HTTPS servers that offer it (default true): every request to a host then
   * shares one connection, none waits for a free one. Not through proxies.
   */
  http2?: boolean;
}

/**
 * An {@link HttpClient} on `node:http`/`node:https`, for what the global `fetch` of Node 20 cannot
 * do without a dependency: proxies from `HTTPS_PROXY`/`NO_PROXY` (CONNECT tunnels for https,
 * absolute-form requests for http), extra CA bundles (`SSL_CERT_FILE`, pip's `cert`), and full
 * control of `Accept-Encoding` so range requests stay byte-exact. Redirects are followed (an
 * `Authorization` header is dropped when one leaves the origin); gzip, deflate and brotli bodies
 * are decoded; connections are kept alive.
 *
 * @example
 * const http = nodeHttpClient({ env: process.env, ca: await readFile(settings.cert, "utf8") });
 */
export function nodeHttpClient(options: NodeHttpClientOptions = {}): HttpClient {
  const tls = lazyTls(options.ca, options.maxSocketsPerHost ?? 6);
  const context: Context = {
    http2: options.http2 === false ? undefined : tls.http2,
    env: options.env ?? {},
    proxy: options.proxy,
    maxRedirects: options.maxRedirects ?? 10,
    agents: tls.agents,
    get secureContext() {
      return tls.secureContext;
    },
  };
  return { request: (request) => send(context, request) };
}

/**
 * The agents and TLS context, made on first use: parsing a CA bundle costs ~40 ms, which a run
 * that never connects (everything cached) should not pay, and which node would pay for every
 * connection if the bundle were passed as `ca`.
 */
function lazyTls(ca: string | undefined, maxSockets: number): Pick<Context, "agents" | "secureContext"> & { http2: Http2Sessions } {
  // One DNS answer per host for all sockets: see cachedLookup.
  const lookup = cachedLookup();
  let secureContext: SecureContext | undefined;
  let https: HttpsAgent | undefined;
  const http = new HttpAgent({ keepAlive: true, maxSockets, lookup });
  const contextOf = (): SecureContext | undefined => {
    if (ca !== undefined) secureContext ??= createSecureContext({ ca: [...rootCertificates, ca] });
    return secureContext;
  };
  const tls = {
    get secureContext() {
      return contextOf();
    },
    http2: new Http2Sessions({ secureContext: contextOf, lookup }),
    agents: {
      http,
      get https() {
        const context = contextOf();
        return (https ??= new HttpsAgent({ keepAlive: true, maxSockets, lookup, ...(context ? { secureContext: context } : {}) }));
      },
    },
  };
  return tls;
}

interface Context {
  /** Absent when HTTP/2 is switched off. */
  http2: Http2Sessions | undefined;
  env: Record<string, string | undefined>;
  proxy: string | undefined;
  secureContext: SecureContext | undefined;
  agents: { http: HttpAgent; https: HttpsAgent };
  maxRedirects: number;
}

async function send(context: Context, request: HttpRequest): Promise<HttpResponse> {
  let url = new URL(request.url);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new KilnError("networkError", `Cannot fetch ${request.url}: it is not an http(s) URL`, { hint: "kiln fetches only http and https URLs over the network" });
  }
  let headers = { ...lowerCaseKeys(request.headers ?? {}) };
  headers["accept-encoding"] ??= "gzip, deflate, br";
  for (let redirects = 0; ; redirects++) {
    const response = await exchange(context, { ...request, url: url.href }, headers);
    const location = response.headers.location;
    if (![301, 302, 303, 307, 308].includes(response.statusCode) || !location) return wrap(response, url, request);
    response.discard();
    if (redirects >= context.maxRedirects) {
      throw new KilnError("networkError", `Cannot fetch ${request.url}: more than ${context.maxRedirects} redirects`, { hint: "The server redirects in a loop" });
    }
    const next = redirectTarget(location, url, request);
    if (next.origin !== url.origin) headers = Object.fromEntries(Object.entries(headers).filter(([name]) => name !== "authorization"));
    url = next;
  }
}

/**
 * Where a redirect leads: an http(s) URL, else a networkError naming the request and the
 * location (a server may answer with `file:`, `data:` or an unparsable Location, which Node's
 * clients would otherwise reject with a TypeError).
 */
function redirectTarget(location: string, from: URL, request: HttpRequest): URL {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new KilnError("networkError", `Cannot fetch ${request.url}: redirected to ${JSON.stringify(location)}, which is not a valid URL`, {
      hint: "The server sent a broken redirect; report it to the index's operator",
    });
  }
  if (next.protocol !== "http:" && next.protocol !== "https:") {
    throw new KilnError("networkError", `Cannot fetch ${request.url}: redirected to ${JSON.stringify(location)}, which is not an http(s) URL`, {
      hint: "kiln follows redirects only to http and https URLs; check the index URL",
    });
  }
  return next;
}

/** One request/response, no redirects, with the idle timer armed until the headers arrive. */
async function exchange(context: Context, request: HttpRequest, headers: Record<string, string>): Promise<RawResponse> {
  const url = new URL(request.url);
  const proxy = proxyFor(url, context.env, context.proxy);
  if (context.http2 && url.protocol === "https:" && !proxy) {
    try {
      const response = await context.http2.request({
        url,
        method: request.method ?? "GET",
        headers,
        signal: request.signal,
        idleTimeoutMs: request.idleTimeoutMs,
        timeoutError: () => timeoutError(request),
      });
      if (response) return response;
    } catch (error) {
      throw translate(error, request);
    }
  }
  return exchangeHttp1(context, { request, url, proxy, headers });
}

function exchangeHttp1(context: Context, { request, url, proxy, headers }: { request: HttpRequest; url: URL; proxy: string | undefined; headers: Record<string, string> }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) => reject(translate(error, request));
    const options: RequestOptions = { method: request.method ?? "GET", headers, signal: request.signal };
    let outgoing;
    if (proxy && url.protocol === "http:") {
      const proxyUrl = new URL(proxy);
      outgoing = httpRequest({ ...options, host: proxyUrl.hostname, port: proxyUrl.port || 80, path: url.href, headers: { ...headers, ...proxyAuthorization(proxyUrl) } });
    } else if (proxy) {
      // No agent: with createConnection and no agent, node uses the tunnel for this one request.
      outgoing = httpsRequest(url, { ...options, createConnection: tunnel(proxy, url, context) as never });
    } else {
      outgoing = (url.protocol === "https:" ? httpsRequest : httpRequest)(url, { ...options, agent: url.protocol === "https:" ? context.agents.https : context.agents.http });
    }
    const timer = idleTimer(request, () => outgoing.destroy(timeoutError(request)));
    timer.touch();
    outgoing.on("response", (response) => {
      timer.stop();
      resolve(http1Response(response));
    });
    outgoing.on("error", (error) => {
      timer.stop();
      fail(error);
    });
    outgoing.end();
  });
}

function http1Response(response: IncomingMessage): RawResponse {
  return {
    statusCode: response.statusCode ?? 0,
    statusMessage: response.statusMessage ?? "",
    headers: response.headers,
    body: response,
    complete: () => response.complete,
    destroy: (error) => response.destroy(error),
    discard: () => response.resume(),
  };
}

/** A socket to `target` through an HTTP CONNECT tunnel on `proxy`, then TLS to the target. */
function tunnel(proxy: string, target: URL, context: Context) {
  return (_options: unknown, callback: (error: Error | null, socket?: Socket) => void) => {
    const proxyUrl = new URL(proxy);
    const authority = `${target.hostname}:${target.port || 443}`;
    const connectRequest = (proxyUrl.protocol === "https:" ? httpsRequest : httpRequest)({
      host: proxyUrl.hostname,
      port: proxyUrl.port || (proxyUrl.protocol === "https:" ? 443 : 80),
      method: "CONNECT",
      path: authority,
      headers: { host: authority, ...proxyAuthorization(proxyUrl) },
      agent: false,
    });
    connectRequest.on("connect", (response, socket) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        const error = new KilnError("networkError", `The proxy ${redactProxy(proxyUrl)} refused to connect to ${authority}: HTTP ${response.statusCode}`, {
          hint: response.statusCode === 407 ? "The proxy wants credentials: put them in the proxy URL" : "Check HTTPS_PROXY / NO_PROXY",
        });
        callback(error);
        return;
      }
      callback(null, tlsConnect({ socket, servername: target.hostname, ...(context.secureContext ? { secureContext: context.secureContext } : {}) }));
    });
    connectRequest.on("error", (error) => callback(error));
    connectRequest.end();
    return undefined;
  };
}

function wrap(response: RawResponse, url: URL, request: HttpRequest): HttpResponse {
  // Not the global Headers: its first use loads Node's fetch implementation (~50 ms).
  const headers = {
    get(name: string): string | null {
      const value = response.headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
  };
  return {
    url: url.href,
    status: response.statusCode,
    statusText: response.statusMessage,
    headers,
    body: readBody(response, request),
    cancel: () => response.destroy(),
  };
}

async function* readBody(response: RawResponse, request: HttpRequest): AsyncGenerator<Uint8Array> {
  const encoding = (response.headers["content-encoding"] ?? "identity").toLowerCase().trim();
  const decoder = encoding === "gzip" || encoding === "x-gzip" ? createGunzip() : encoding === "deflate" ? createInflate() : encoding === "br" ? createBrotliDecompress() : undefined;
  const stream = decoder ? response.body.pipe(decoder) : response.body;
  if (decoder) response.body.on("error", (error) => decoder.destroy(error));
  const timer = idleTimer(request, () => response.destroy(timeoutError(request)));
  try {
    timer.touch();
    for await (const chunk of stream) {
      timer.touch();
      yield new Uint8Array((chunk as Buffer).buffer, (chunk as Buffer).byteOffset, (chunk as Buffer).byteLength);
    }
    if (!response.complete()) throw new Error("the connection closed before the response was complete");
  } catch (error) {
    throw translate(error, request);
  } finally {
    timer.stop();
  }
}

function idleTimer(request: HttpRequest, onIdle: () => void) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    touch() {
      if (timer !== undefined) clearTimeout(timer);
      if (request.idleTimeoutMs !== undefined) timer = setTimeout(onIdle, request.idleTimeoutMs);
    },
    stop() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}

function timeoutError(request: HttpRequest): KilnError {
  return new KilnError("httpTimeout", `No response from ${request.url} for ${request.idleTimeoutMs} ms`, {
    hint: "The server or the network is slow; try again, or raise the timeout (--timeout)",
  });
}

function translate(error: unknown, request: HttpRequest): unknown {
  if (error instanceof KilnError) return error;
  if (request.signal?.aborted) return request.signal.reason ?? error;
  const code = (error as NodeJS.ErrnoException)?.code;
  const detail = `${(error as Error)?.message ?? String(error)}${code && !(error as Error).message?.includes(code) ? ` (${code})` : ""}`;
  const certificate = typeof code === "string" && /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code);
  return new KilnError("networkError", `Cannot reach ${request.url}: ${detail}`, {
    cause: error,
    hint: certificate
      ? "The server's certificate is not trusted: point SSL_CERT_FILE, PIP_CERT or --cert at your CA bundle"
      : "Check the network connection, the URL and any proxy settings (HTTPS_PROXY)",
  });
}

function proxyAuthorization(proxyUrl: URL): Record<string, string> {
  if (!proxyUrl.username) return {};
  const credentials = `${decodeURIComponent(proxyUrl.username)}:${decodeURIComponent(proxyUrl.password)}`;
  return { "proxy-authorization": `Basic ${Buffer.from(credentials).toString("base64")}` };
}

function redactProxy(proxyUrl: URL): string {
  const copy = new URL(proxyUrl.href);
  copy.username = "";
  copy.password = "";
  return copy.href;
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
