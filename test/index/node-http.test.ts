import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { connect, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { gzipSync } from "node:zlib";
import { isKilnError } from "../../src/core/index.js";
import { readBody, resolveIndexSettings, SimpleIndexSource } from "../../src/index/index.js";
import { createNodeHttpSession } from "../../src/platform/node.js";
import { nodeHttpClient } from "../../src/platform/node-http.js";
import { startLoopbackServer, type LoopbackServer } from "./loopback-server.js";

// The node:https client: TLS with a custom CA, CONNECT proxies, gzip, redirects, .netrc.
const page = '<a href="/files/demo-1.0-py3-none-any.whl">demo-1.0-py3-none-any.whl</a>';
const work = mkdtempSync(join(tmpdir(), "kiln-http-"));
const caPath = join(work, "ca.pem");
let tlsPort = 0;
let tlsServer: Server;
let proxy: Server;
let proxyPort = 0;
const proxyLog: { method: string; target: string; authorization?: string }[] = [];
let plain: LoopbackServer;
let lastAuthorization: string | undefined;

function makeCertificate(): { key: string; cert: string } {
  // A self-signed certificate for a name only the test proxy resolves, and for 127.0.0.1.
  const keyPath = join(work, "key.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyPath, "-out", caPath, "-days", "2", "-subj", "/CN=pypi.kiln.test", "-addext", "subjectAltName=DNS:pypi.kiln.test,IP:127.0.0.1"], { stdio: "ignore" });
  return { key: readFileSync(keyPath, "utf8"), cert: readFileSync(caPath, "utf8") };
}

before(async () => {
  tlsServer = createHttpsServer(makeCertificate(), (request, response) => {
    lastAuthorization = request.headers.authorization;
    response.writeHead(200, { "content-type": "text/html" }).end(page);
  });
  await new Promise<void>((resolve) => tlsServer.listen(0, "127.0.0.1", resolve));
  tlsPort = (tlsServer.address() as AddressInfo).port;
  // A forward proxy: CONNECT to any host goes to the TLS server; absolute-form GETs are answered here.
  proxy = createHttpServer((request, response) => {
    proxyLog.push({ method: request.method!, target: request.url!, authorization: request.headers["proxy-authorization"] });
    response.writeHead(200, { "content-type": "text/html" }).end(page);
  });
  proxy.on("connect", (request, socket) => {
    proxyLog.push({ method: "CONNECT", target: request.url!, authorization: request.headers["proxy-authorization"] });
    const upstream = connect(tlsPort, "127.0.0.1", () => {
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on("error", () => socket.destroy());
    socket.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyPort = (proxy.address() as AddressInfo).port;
  plain = await startLoopbackServer({
    "/gzip/demo/": (_q, response) => response.writeHead(200, { "content-type": "text/html", "content-encoding": "gzip" }).end(gzipSync(page)),
    "/hop/demo/": (_q, response) => response.writeHead(302, { location: `http://localhost:${new URL(plain.url).port}/landing/demo/` }).end(),
    "/same-origin-hop/demo/": (_q, response) => response.writeHead(302, { location: "/landing/demo/" }).end(),
    "/landing/demo/": (request, response) => {
      lastAuthorization = request.headers.authorization;
      response.writeHead(200, { "content-type": "text/html" }).end(page);
    },
    "/loop": (_q, response) => response.writeHead(302, { location: "/loop" }).end(),
    "/to-file": (_q, response) => response.writeHead(302, { location: "file:///etc/passwd" }).end(),
    "/to-data": (_q, response) => response.writeHead(301, { location: "data:text/html,<a>x</a>" }).end(),
    "/to-broken": (_q, response) => response.writeHead(307, { location: "http://[::1" }).end(),
  });
});

after(async () => {
  await plain.close();
  tlsServer.closeAllConnections?.();
  proxy.closeAllConnections?.();
  await new Promise((resolve) => tlsServer.close(resolve));
  await new Promise((resolve) => proxy.close(resolve));
});

test("HTTPS with an untrusted certificate fails with a CA hint; with the CA bundle it works", async () => {
  const url = `https://127.0.0.1:${tlsPort}/simple/demo/`;
  await assert.rejects(nodeHttpClient().request({ url }), (e) => isKilnError(e, "networkError") && /SSL_CERT_FILE/.test(e.hint ?? ""));
  const response = await nodeHttpClient({ ca: readFileSync(caPath, "utf8") }).request({ url });
  assert.equal(new TextDecoder().decode(await readBody(response)), page);
});

test("HTTPS_PROXY: a CONNECT tunnel with proxy credentials, TLS checked against the target's name", async () => {
  const env = { HTTPS_PROXY: `http://agent:pw@127.0.0.1:${proxyPort}` };
  const response = await nodeHttpClient({ env, ca: readFileSync(caPath, "utf8") }).request({ url: "https://pypi.kiln.test/simple/demo/" });
  assert.equal(response.status, 200);
  assert.equal(new TextDecoder().decode(await readBody(response)), page);
  assert.deepEqual(proxyLog.at(-1), { method: "CONNECT", target: "pypi.kiln.test:443", authorization: `Basic ${Buffer.from("agent:pw").toString("base64")}` });
  const bypass = nodeHttpClient({ env: { ...env, NO_PROXY: "kiln.test" }, ca: readFileSync(caPath, "utf8") });
  await assert.rejects(bypass.request({ url: "https://pypi.kiln.test/simple/demo/", idleTimeoutMs: 5_000 }), (e) => isKilnError(e, "networkError") && e.message.includes("pypi.kiln.test"));
});

test("HTTP_PROXY: plain http goes to the proxy in absolute form", async () => {
  const response = await nodeHttpClient({ env: { HTTP_PROXY: `http://127.0.0.1:${proxyPort}` } }).request({ url: "http://pypi.kiln.test/simple/demo/" });
  await readBody(response);
  assert.deepEqual(proxyLog.at(-1), { method: "GET", target: "http://pypi.kiln.test/simple/demo/", authorization: undefined });
});

test("gzip bodies are decoded; redirects are followed and drop credentials when they leave the origin", async () => {
  const http = nodeHttpClient();
  const gzip = await http.request({ url: `${plain.url}/gzip/demo/` });
  assert.equal(new TextDecoder().decode(await readBody(gzip)), page);
  const authorization = "Basic bWU6cHc=";
  const same = await http.request({ url: `${plain.url}/same-origin-hop/demo/`, headers: { Authorization: authorization } });
  await readBody(same);
  assert.equal(lastAuthorization, authorization);
  const cross = await http.request({ url: `${plain.url}/hop/demo/`, headers: { Authorization: authorization } });
  await readBody(cross);
  assert.equal(cross.url, `http://localhost:${new URL(plain.url).port}/landing/demo/`);
  assert.equal(lastAuthorization, undefined);
  await assert.rejects(http.request({ url: `${plain.url}/loop` }), (e) => isKilnError(e, "networkError") && /redirects/.test(e.message));
});

const badRedirects: [string, RegExp][] = [
  ["/to-file", /redirected to "file:\/\/\/etc\/passwd", which is not an http\(s\) URL/],
  ["/to-data", /redirected to "data:text\/html,<a>x<\/a>", which is not an http\(s\) URL/],
  ["/to-broken", /redirected to "http:\/\/\[::1", which is not a valid URL/],
];

test("a request for a URL that is not http(s) is a networkError naming it, not Node's TypeError", async () => {
  const http = nodeHttpClient();
  for (const url of ["file:///etc/passwd", "ftp://example.org/x.whl", "data:text/plain,x"]) {
    await assert.rejects(http.request({ url }), (e) => isKilnError(e, "networkError") && e.message.includes(url) && /not an http\(s\) URL/.test(e.message), url);
  }
});

for (const [path, message] of badRedirects) {
  test(`a redirect from ${path} to a location that is not http(s) is a networkError naming both`, async () => {
    const http = nodeHttpClient();
    await assert.rejects(http.request({ url: `${plain.url}${path}` }), (e) => {
      assert.ok(isKilnError(e, "networkError"), String(e));
      assert.match(e.message, message);
      assert.ok(e.message.includes(`${plain.url}${path}`), e.message);
      return true;
    });
  });
}

test("createNodeHttpSession: .netrc credentials and the settings' CA bundle", async () => {
  const netrc = join(work, "netrc");
  writeFileSync(netrc, "machine 127.0.0.1 login me password from-netrc\n");
  const settings = resolveIndexSettings({ cwdUrl: "file:///", env: { SSL_CERT_FILE: caPath }, flags: { indexUrl: `https://127.0.0.1:${tlsPort}/simple/` } });
  const session = await createNodeHttpSession(settings, { env: { NETRC: netrc }, cacheDir: false });
  const files = await new SimpleIndexSource({ url: settings.indexUrl, session }).listFiles("demo");
  assert.equal(files.length, 1);
  assert.equal(lastAuthorization, `Basic ${Buffer.from("me:from-netrc").toString("base64")}`);
  // As pip does, an unusable bundle fails the first request, not a session that never connects.
  const broken = resolveIndexSettings({ cwdUrl: "file:///", env: { PIP_CERT: netrc }, flags: { indexUrl: `https://127.0.0.1:${tlsPort}/simple/` } });
  const brokenSession = await createNodeHttpSession(broken, { env: {}, cacheDir: false });
  for (let attempt = 0; attempt < 2; attempt++) {
    await assert.rejects(new SimpleIndexSource({ url: broken.indexUrl, session: brokenSession }).listFiles("demo"), (e) => isKilnError(e, "invalidIndexConfig") && e.message.includes("pip's environment variables"));
  }
});

test("createNodeHttpSession reads no CA bundle until a request needs one", async () => {
  const missing = join(work, "no-such-bundle.pem");
  const settings = resolveIndexSettings({ cwdUrl: "file:///", env: { SSL_CERT_FILE: missing }, flags: { indexUrl: `https://127.0.0.1:${tlsPort}/simple/` } });
  // A command that never connects (an install from local wheels) is not stopped by it.
  const session = await createNodeHttpSession(settings, { env: {}, cacheDir: false });
  await assert.rejects(new SimpleIndexSource({ url: settings.indexUrl, session }).listFiles("demo"), (e) => isKilnError(e, "invalidIndexConfig") && e.message.includes(missing));
});
