import { strict as assert } from "node:assert";
import type { IncomingMessage, ServerResponse } from "node:http";
import { after, before, test } from "node:test";
import { isKilnError } from "../../src/core/index.js";
import { HttpSession, SimpleIndexSource, fetchHttpClient, type HttpClient } from "../../src/index/index.js";
import { nodeHttpClient } from "../../src/platform/node-http.js";
import { makeWheel, sha256 } from "./fixtures.js";
import { serveBytes, startLoopbackServer, type LoopbackServer } from "./loopback-server.js";

// Loopback faults: a server that stalls, resets, fails with 500s, sends garbage or truncates.
const quickRetry = { retries: 2, initialDelayMs: 1, maxDelayMs: 5 };
const page = '<a href="/files/demo-1.0-py3-none-any.whl">demo-1.0-py3-none-any.whl</a>';
const wheel = makeWheel({ name: "demo", version: "1.0", padding: 10_000 });
let server: LoopbackServer;

// Every fault is tried with both HTTP clients: the global fetch one and the node:https one.
const clients: [string, HttpClient][] = [
  ["fetch", fetchHttpClient()],
  ["node", nodeHttpClient()],
];

function index(http: HttpClient, path: string, idleTimeoutMs = 2_000) {
  const session = new HttpSession({ http, retry: quickRetry, idleTimeoutMs });
  return new SimpleIndexSource({ url: `${server.url}${path}`, session });
}

before(async () => {
  server = await startLoopbackServer({
    // Accepts the request and never answers.
    "/stall/demo/": () => {},
    // Sends headers and half a body, then stalls.
    "/stall-body/demo/": (_q, response) => {
      response.writeHead(200, { "content-type": "text/html", "content-length": "1000" });
      response.write("<a href=");
    },
    // Sends a page a byte every 20 ms: each byte restarts an idle timer, so only a floor on
    // progress stops it (unguarded, the page would arrive whole after ~2 s).
    "/trickle/demo/": (_q, response) => {
      const body = Buffer.from(page.padStart(100, " "));
      response.writeHead(200, { "content-type": "text/html", "content-length": String(body.byteLength) });
      let sent = 0;
      const timer = setInterval(() => {
        if (sent === body.byteLength) return clearInterval(timer);
        response.write(body.subarray(sent, ++sent));
        if (sent === body.byteLength) response.end();
      }, 20);
      response.on("close", () => clearInterval(timer));
    },
    // Drops the connection without an answer.
    "/reset/demo/": (request) => request.socket.destroy(),
    ...Object.fromEntries(
      clients.flatMap(([client]) => [
        // Resets on the first try, answers on the second.
        [`/reset-once-${client}/demo/`, (request: IncomingMessage, response: ServerResponse, hit: number) => {
          if (hit === 1) request.socket.destroy();
          else response.writeHead(200, { "content-type": "text/html" }).end(page);
        }],
        [`/flaky-${client}/demo/`, (_q: IncomingMessage, response: ServerResponse, hit: number) => {
          if (hit < 3) response.writeHead(500, { "content-type": "text/plain" }).end("oops");
          else response.writeHead(200, { "content-type": "text/html" }).end(page);
        }],
      ]),
    ),
    "/down/demo/": (_q, response) => response.writeHead(503, { "retry-after": "0" }).end(),
    "/garbage/demo/": (_q, response) =>
      response.writeHead(200, { "content-type": "application/vnd.pypi.simple.v1+json" }).end('{"meta": {"api-version": "1.0"}, "files": [{"filename": 7'),
    "/binary/demo/": (_q, response) => response.writeHead(200, { "content-type": "text/html" }).end(Buffer.from([0xff, 0xfe, 0xfd, 0x00])),
    // Promises more bytes than it sends, then closes.
    "/truncated/demo/": (_q, response) => {
      response.writeHead(200, { "content-type": "text/html", "content-length": "5000" });
      response.write(page, () => response.socket?.destroy());
    },
    "/forbidden/demo/": (_q, response) => response.writeHead(403).end(),
    "/files/demo-1.0-py3-none-any.whl": serveBytes(wheel),
  });
});

after(() => server.close());

/** The server's count for `path` once it reaches `expected` (or after 5 s), and 100 ms later: requests still in flight are counted, later extra ones too. */
async function hitsSettled(path: string, expected: number): Promise<number> {
  for (const deadline = Date.now() + 5000; server.hits(path) < expected && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 20));
  await new Promise((resolve) => setTimeout(resolve, 100));
  return server.hits(path);
}

const failures: { name: string; path: string; code: string; message: RegExp; attempts: number }[] = [
  { name: "a stall before the headers", path: "/stall/", code: "httpTimeout", message: /No response from .*\/stall\/demo\/ for 300 ms/, attempts: 3 },
  { name: "a stall in the middle of the body", path: "/stall-body/", code: "httpTimeout", message: /\/stall-body\/demo\//, attempts: 3 },
  { name: "a body trickled a byte at a time", path: "/trickle/", code: "httpTimeout", message: /\/trickle\/demo\/ sent only \d+ bytes in 300 ms/, attempts: 3 },
  { name: "a connection reset", path: "/reset/", code: "networkError", message: /Cannot reach .*\/reset\/demo\/:/, attempts: 3 },
  { name: "503 every time", path: "/down/", code: "httpStatus", message: /\/down\/demo\/ answered HTTP 503 Service Unavailable \(gave up after 3 attempts\)/, attempts: 3 },
  { name: "truncated JSON", path: "/garbage/", code: "invalidIndexPage", message: /Cannot parse the index page .*\/garbage\/demo\/: not JSON/, attempts: 3 },
  { name: "binary garbage", path: "/binary/", code: "invalidIndexPage", message: /\/binary\/demo\/: it is not UTF-8/, attempts: 3 },
  { name: "a body shorter than its Content-Length", path: "/truncated/", code: "networkError", message: /\/truncated\/demo\//, attempts: 3 },
  { name: "403, which retrying cannot fix", path: "/forbidden/", code: "httpStatus", message: /answered HTTP 403/, attempts: 1 },
];

for (const [client, http] of clients) for (const failure of failures) {
  test(`fault (${client}): ${failure.name} → ${failure.code} naming the URL after ${failure.attempts} attempt(s)`, async () => {
    const before = server.hits(`${failure.path}demo/`);
    await assert.rejects(index(http, failure.path, 300).listFiles("demo"), (e) => {
      assert.ok(isKilnError(e, failure.code as never), `${(e as Error).message}`);
      assert.match(e.message, failure.message);
      assert.ok(e.hint, "has a hint");
      return true;
    });
    // The server runs in this process: under load its handler for the last attempt may run after the client gave up.
    assert.equal(await hitsSettled(`${failure.path}demo/`, before + failure.attempts) - before, failure.attempts);
  });
}

for (const [client, http] of clients) {
  test(`fault (${client}): 500, 500, then success is retried to success`, async () => {
    const files = await index(http, `/flaky-${client}/`).listFiles("demo");
    assert.equal(files.length, 1);
    assert.equal(server.hits(`/flaky-${client}/demo/`), 3);
  });

  test(`fault (${client}): a reset then success is retried to success, and the file downloads`, async () => {
    const source = index(http, `/reset-once-${client}/`);
    const [file] = await source.listFiles("demo");
    assert.equal(sha256(await source.fetchFile(file!)), sha256(wheel));
  });
}
