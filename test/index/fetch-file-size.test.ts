import { strict as assert } from "node:assert";
import type { IncomingMessage, ServerResponse } from "node:http";
import { after, before, test } from "node:test";
import { isKilnError } from "../../src/core/index.js";
import { HttpSession, fetchFileSize, fetchHttpClient, type HttpClient } from "../../src/index/index.js";
import { nodeHttpClient } from "../../src/platform/node-http.js";
import { serveBytes, startLoopbackServer, type LoopbackServer } from "./loopback-server.js";

// What a lock file records as a file's size when the index lists none: what the server says, by
// HEAD, else a one-byte range request, else the whole body; with both HTTP clients.
const bytes = new Uint8Array(12_345).fill(7);
const quickRetry = { retries: 1, initialDelayMs: 1, maxDelayMs: 2 };
let server: LoopbackServer;

/** Answers HEAD with `head` (status and headers), and GET as `serveBytes` does. */
function withHead(head: { status: number; headers?: Record<string, string> }, options: { ranges?: boolean } = {}) {
  const get = serveBytes(bytes, options);
  return (request: IncomingMessage, response: ServerResponse, hit: number) => {
    if (request.method === "HEAD") return response.writeHead(head.status, head.headers ?? {}).end();
    // Chunked, so the body says nothing of the size before it is read.
    if (options.ranges === false) return response.writeHead(200, { "transfer-encoding": "chunked" }).end(bytes);
    return get(request, response, hit);
  };
}

before(async () => {
  server = await startLoopbackServer({
    "/head.whl": serveBytes(bytes),
    "/no-length.whl": withHead({ status: 200, headers: { "transfer-encoding": "chunked" } }),
    "/no-head.whl": withHead({ status: 405 }),
    "/no-head-no-ranges.whl": withHead({ status: 405 }, { ranges: false }),
    "/gone.whl": (_request, response) => response.writeHead(404).end(),
  });
});
after(() => server.close());

const clients: [string, HttpClient][] = [
  ["fetch", fetchHttpClient()],
  ["node", nodeHttpClient()],
];

for (const [name, http] of clients) {
  test(`fetchFileSize (${name}): Content-Length of HEAD, else a range request's total, else the body's length; errors throw`, async () => {
    const session = new HttpSession({ http, retry: quickRetry });
    for (const path of ["/head.whl", "/no-length.whl", "/no-head.whl", "/no-head-no-ranges.whl"]) {
      assert.equal(await fetchFileSize(session, `${server.url}${path}`), bytes.byteLength, path);
    }
    await assert.rejects(fetchFileSize(session, `${server.url}/gone.whl`), (error) => isKilnError(error, "httpStatus"));
    const offline = new HttpSession({ http, offline: true });
    await assert.rejects(fetchFileSize(offline, `${server.url}/head.whl`), (error) => isKilnError(error, "offline"));
  });
}
