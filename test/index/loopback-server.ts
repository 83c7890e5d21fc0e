import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** Handles one request; `hit` counts requests to this path so far, from 1. */
export type Route = (request: IncomingMessage, response: ServerResponse, hit: number) => unknown;

/** A test server on 127.0.0.1 with a request log. */
export interface LoopbackServer {
  url: string;
  /** Every request seen: path and headers. */
  log: { path: string; headers: IncomingMessage["headers"] }[];
  hits(path: string): number;
  close(): Promise<void>;
}

/**
 * Starts an HTTP server on loopback that dispatches on the exact path (query included), 404 for
 * anything else. Closing destroys open sockets, so a stalling route does not hang the test.
 */
export async function startLoopbackServer(routes: Record<string, Route>): Promise<LoopbackServer> {
  const counts = new Map<string, number>();
  const log: LoopbackServer["log"] = [];
  const sockets = new Set<Socket>();
  const server = createServer(async (request, response) => {
    const path = request.url ?? "/";
    log.push({ path, headers: request.headers });
    const hit = (counts.get(path) ?? 0) + 1;
    counts.set(path, hit);
    const route = routes[path];
    if (!route) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    try {
      await route(request, response, hit);
    } catch (error) {
      response.destroy(error as Error);
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    hits: (path) => counts.get(path) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Serves `bytes`, honouring `Range` (single ranges and suffixes) unless `ranges` is false. */
export function serveBytes(bytes: Uint8Array, options: { ranges?: boolean; contentType?: string } = {}): Route {
  return (request, response) => {
    const headers = { "content-type": options.contentType ?? "application/octet-stream", "accept-ranges": "bytes" };
    const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.range ?? "");
    if (options.ranges === false || !range) {
      response.writeHead(200, { ...headers, "content-length": bytes.byteLength }).end(bytes);
      return;
    }
    let start: number;
    let end: number;
    if (range[1] === "") {
      start = Math.max(0, bytes.byteLength - Number(range[2]));
      end = bytes.byteLength - 1;
    } else {
      start = Number(range[1]);
      end = range[2] === "" ? bytes.byteLength - 1 : Math.min(Number(range[2]), bytes.byteLength - 1);
    }
    if (start > end || start >= bytes.byteLength) {
      response.writeHead(416, { "content-range": `bytes */${bytes.byteLength}` }).end();
      return;
    }
    response
      .writeHead(206, { ...headers, "content-length": end - start + 1, "content-range": `bytes ${start}-${end}/${bytes.byteLength}` })
      .end(bytes.subarray(start, end + 1));
  };
}

/** Serves a fixed text body with headers. */
export function serveText(body: string, headers: Record<string, string> = {}, status = 200): Route {
  return (_request, response) => {
    response.writeHead(status, { "content-type": "text/html", ...headers }).end(body);
  };
}
