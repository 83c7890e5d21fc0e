import { connect as http2Connect, constants, type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders } from "node:http2";
import type { LookupFunction } from "node:net";
import { isIP } from "node:net";
import type { Readable } from "node:stream";
import { connect as tlsConnect, type SecureContext, type TLSSocket } from "node:tls";

/** A response as the Node HTTP client reads it, over HTTP/1.1 or HTTP/2. */
export interface RawResponse {
  statusCode: number;
  statusMessage: string;
  /** Lower-case names; no HTTP/2 pseudo-headers. */
  headers: IncomingHttpHeaders;
  body: Readable;
  /** Whether the whole body arrived (not cut short by a reset or a closed connection). */
  complete(): boolean;
  /** Drops the response (and, over HTTP/1.1, its connection). */
  destroy(error?: Error): void;
  /** Drops a response that is not needed (a redirect), keeping the connection for the next request. */
  discard(): void;
}

/** Options for {@link Http2Sessions}. */
export interface Http2SessionsOptions {
  /** Extra CA certificates, when the host has any (read when a connection opens). */
  secureContext: () => SecureContext | undefined;
  lookup: LookupFunction;
}

/** One request over an HTTP/2 session. */
export interface Http2Request {
  url: URL;
  method: string;
  headers: Record<string, string>;
  signal?: AbortSignal;
  /** Fail with `timeoutError()` when connecting and waiting for the headers takes this long. */
  idleTimeoutMs?: number;
  timeoutError?: () => Error;
}

// Flow-control windows: HTTP/2's default of 64 KiB per stream makes a multi-megabyte index page
// or wheel wait for a WINDOW_UPDATE round trip every 64 KiB.
const streamWindow = 8 * 1024 * 1024;
const connectionWindow = 32 * 1024 * 1024;
/** Headers HTTP/2 forbids (RFC 9113 §8.2.2) or carries as pseudo-headers. */
const connectionHeaders = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host"]);

/**
 * HTTP/2 connections, one per origin, for HTTPS requests without a proxy. An index page needs
 * the pages of its dependencies next, so a resolver asks for dozens of pages at once: over
 * HTTP/1.1 they wait for one of a few connections (each with its own TLS handshake on the main
 * thread), while HTTP/2 sends them all at once over one. The server picks the protocol (ALPN);
 * an origin that does not offer `h2` is remembered and answered `undefined`, so the caller uses
 * HTTP/1.1 for it. Connections do not keep the process alive while no request is under way.
 *
 * @example
 * const sessions = new Http2Sessions({ secureContext: () => undefined, lookup });
 * const response = await sessions.request({ url: new URL("https://pypi.org/simple/idna/"), method: "GET", headers: {} });
 */
export class Http2Sessions {
  private readonly sessions = new Map<string, Promise<ClientHttp2Session | undefined>>();
  private readonly active = new Map<ClientHttp2Session, number>();

  constructor(private readonly options: Http2SessionsOptions) {}

  /** The response, or undefined when the origin does not speak HTTP/2. */
  request(request: Http2Request): Promise<RawResponse | undefined> {
    return new Promise((resolve, reject) => {
      let stream: ClientHttp2Stream | undefined;
      let settled = false;
      const timer = request.idleTimeoutMs === undefined ? undefined : setTimeout(() => fail(request.timeoutError?.() ?? new Error("timed out")), request.idleTimeoutMs);
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        stream?.destroy();
        reject(error);
      };
      const succeed = (response: RawResponse | undefined) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(response);
      };
      this.sessionFor(request.url).then((session) => {
        if (settled) return;
        if (!session) return succeed(undefined);
        try {
          stream = this.open(session, request);
        } catch (error) {
          return fail(error);
        }
        stream.once("error", fail);
        stream.once("response", (headers) => {
          stream!.off("error", fail);
          succeed(rawResponse(stream!, headers));
        });
      }, fail);
    });
  }

  private open(session: ClientHttp2Session, request: Http2Request): ClientHttp2Stream {
    const headers: Record<string, string> = { ":method": request.method, ":path": `${request.url.pathname}${request.url.search}` };
    for (const [name, value] of Object.entries(request.headers)) if (!connectionHeaders.has(name)) headers[name] = value;
    this.hold(session, +1);
    try {
      const stream = session.request(headers, { endStream: true, ...(request.signal ? { signal: request.signal } : {}) });
      stream.once("close", () => this.hold(session, -1));
      return stream;
    } catch (error) {
      this.hold(session, -1);
      throw error;
    }
  }

  /** Closes every connection (tests; a CLI process simply exits). */
  close(): void {
    for (const pending of this.sessions.values()) void pending.then((session) => session?.close(), () => {});
    this.sessions.clear();
  }

  private sessionFor(url: URL): Promise<ClientHttp2Session | undefined> {
    const origin = url.origin;
    let pending = this.sessions.get(origin);
    if (!pending) {
      const connecting = this.connect(url);
      pending = connecting;
      this.sessions.set(origin, connecting);
      const forget = () => {
        if (this.sessions.get(origin) === connecting) this.sessions.delete(origin);
      };
      // A connection that failed or closed is opened again by the next request.
      connecting.then((session) => {
        session?.on("goaway", forget);
        session?.on("close", forget);
        session?.on("error", forget);
      }, forget);
    }
    return pending;
  }

  private connect(url: URL): Promise<ClientHttp2Session | undefined> {
    return new Promise((resolve, reject) => {
      const host = url.hostname.replace(/^\[|\]$/g, "");
      const context = this.options.secureContext();
      const socket: TLSSocket = tlsConnect({
        host,
        port: Number(url.port || 443),
        ...(isIP(host) ? {} : { servername: host }),
        ALPNProtocols: ["h2", "http/1.1"],
        lookup: this.options.lookup,
        ...(context ? { secureContext: context } : {}),
      });
      socket.once("error", reject);
      socket.once("secureConnect", () => {
        socket.off("error", reject);
        if (socket.alpnProtocol !== "h2") {
          socket.destroy();
          resolve(undefined);
          return;
        }
        const session = http2Connect(url.origin, { createConnection: () => socket, settings: { initialWindowSize: streamWindow } });
        session.setLocalWindowSize(connectionWindow);
        // Errors reach the streams under way; the session itself is then forgotten (sessionFor).
        session.on("error", () => {});
        session.unref();
        resolve(session);
      });
    });
  }

  /** Keeps the process alive while a session has streams under way, and only then. */
  private hold(session: ClientHttp2Session, change: number): void {
    const count = (this.active.get(session) ?? 0) + change;
    if (count > 0) {
      if (change > 0 && count === 1) session.ref();
      this.active.set(session, count);
    } else {
      this.active.delete(session);
      if (!session.destroyed) session.unref();
    }
  }
}

function rawResponse(stream: ClientHttp2Stream, headers: IncomingHttpHeaders): RawResponse {
  const plain: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (!name.startsWith(":")) plain[name] = value;
  let ended = false;
  stream.once("end", () => (ended = true));
  return {
    statusCode: Number(headers[":status"] ?? 0),
    statusMessage: "",
    headers: plain,
    body: stream,
    complete: () => ended && (stream.rstCode === undefined || stream.rstCode === constants.NGHTTP2_NO_ERROR),
    destroy: (error) => {
      if (error) stream.destroy(error);
      else if (!stream.destroyed) stream.close(constants.NGHTTP2_CANCEL);
    },
    discard: () => {
      if (!stream.destroyed) stream.close(constants.NGHTTP2_CANCEL);
    },
  };
}
