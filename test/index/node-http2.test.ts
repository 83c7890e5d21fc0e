import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { constants, createSecureServer, type Http2SecureServer, type ServerHttp2Session } from "node:http2";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { gzipSync } from "node:zlib";
import { isKilnError } from "../../src/core/index.js";
import { readBody } from "../../src/index/index.js";
import { nodeHttpClient } from "../../src/platform/node-http.js";

// The Node HTTP client over HTTP/2 (ALPN h2): one connection for concurrent requests, bodies,
// redirects, timeouts and resets as over HTTP/1.1, and HTTP/1.1 for a server without h2.
const work = mkdtempSync(join(tmpdir(), "kiln-http2-"));
const caPath = join(work, "ca.pem");
const keyPath = join(work, "key.pem");
execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyPath, "-out", caPath, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "ignore" });
const ca = readFileSync(caPath, "utf8");
const big = "x".repeat(3 * 1024 * 1024);

let server: Http2SecureServer;
let h1Only: HttpsServer;
let origin = "";
let h1Origin = "";
const sessions: ServerHttp2Session[] = [];
const versions: string[] = [];

function start(): Promise<[Http2SecureServer, string]> {
  const instance = createSecureServer({ key: readFileSync(keyPath), cert: ca, allowHTTP1: true }, (request, response) => {
    versions.push(request.httpVersion);
    const path = request.url;
    if (path === "/page/") response.writeHead(200, { "content-type": "text/html" }).end(`page ${request.headers.accept ?? ""}`);
    else if (path === "/gzip/") response.writeHead(200, { "content-type": "text/html", "content-encoding": "gzip" }).end(gzipSync("unzipped"));
    else if (path === "/big/") response.writeHead(200, { "content-length": String(big.length) }).end(big);
    else if (path === "/hop/") response.writeHead(302, { location: "/page/" }).end();
    else if (path === "/stall/") void 0;
    else if (path === "/reset/") {
      response.writeHead(200, { "content-length": "1000" });
      response.write("partial");
      setTimeout(() => response.stream.close(constants.NGHTTP2_INTERNAL_ERROR), 20);
    } else response.writeHead(404).end();
  });
  instance.on("session", (session) => sessions.push(session));
  return new Promise((resolve) => instance.listen(0, "127.0.0.1", () => resolve([instance, `https://127.0.0.1:${(instance.address() as AddressInfo).port}`])));
}

before(async () => {
  [server, origin] = await start();
  // A server without ALPN: TLS clients get no protocol answer and must speak HTTP/1.1.
  h1Only = createHttpsServer({ key: readFileSync(keyPath), cert: ca }, (request, response) => {
    versions.push(request.httpVersion);
    response.writeHead(200, { "content-type": "text/html" }).end("page");
  });
  await new Promise<void>((resolve) => h1Only.listen(0, "127.0.0.1", resolve));
  h1Origin = `https://127.0.0.1:${(h1Only.address() as AddressInfo).port}`;
});

after(async () => {
  for (const session of sessions) session.destroy();
  await new Promise((resolve) => server.close(resolve));
  h1Only.closeAllConnections();
  await new Promise((resolve) => h1Only.close(resolve));
});

test("HTTP/2: concurrent requests to one origin share one connection", async () => {
  const http = nodeHttpClient({ ca });
  sessions.length = 0;
  versions.length = 0;
  const bodies = await Promise.all(Array.from({ length: 20 }, async () => new TextDecoder().decode(await readBody(await http.request({ url: `${origin}/page/`, headers: { Accept: "text/html" } })))));
  assert.deepEqual(new Set(bodies), new Set(["page text/html"]));
  assert.deepEqual(new Set(versions), new Set(["2.0"]));
  assert.equal(sessions.length, 1, "one connection for twenty requests");
  // Bigger than the default flow-control windows, and whole.
  assert.equal((await readBody(await http.request({ url: `${origin}/big/` }))).byteLength, big.length);
});

test("HTTP/2: gzip bodies are decoded, redirects followed, 404s returned", async () => {
  const http = nodeHttpClient({ ca });
  assert.equal(new TextDecoder().decode(await readBody(await http.request({ url: `${origin}/gzip/` }))), "unzipped");
  const hop = await http.request({ url: `${origin}/hop/` });
  assert.equal(hop.url, `${origin}/page/`);
  assert.match(new TextDecoder().decode(await readBody(hop)), /^page/);
  const missing = await http.request({ url: `${origin}/nothing/` });
  assert.equal(missing.status, 404);
  missing.cancel();
});

test("HTTP/2: a stalled response times out; a reset stream is an error, not a short body", async () => {
  const http = nodeHttpClient({ ca });
  await assert.rejects(http.request({ url: `${origin}/stall/`, idleTimeoutMs: 300 }), (e) => isKilnError(e, "httpTimeout"));
  const reset = await http.request({ url: `${origin}/reset/` });
  await assert.rejects(readBody(reset), (e) => isKilnError(e, "networkError"));
});

test("HTTP/2: an untrusted certificate is refused with the CA hint", async () => {
  await assert.rejects(nodeHttpClient().request({ url: `${origin}/page/` }), (e) => isKilnError(e, "networkError") && /SSL_CERT_FILE/.test(e.hint ?? ""));
});

test("a server that does not offer h2 is asked over HTTP/1.1; http2: false keeps to HTTP/1.1", async () => {
  versions.length = 0;
  const http = nodeHttpClient({ ca });
  for (let round = 0; round < 2; round++) assert.match(new TextDecoder().decode(await readBody(await http.request({ url: `${h1Origin}/page/` }))), /^page/);
  assert.match(new TextDecoder().decode(await readBody(await nodeHttpClient({ ca, http2: false }).request({ url: `${origin}/page/` }))), /^page/);
  assert.deepEqual(versions, ["1.1", "1.1", "1.1"]);
});
