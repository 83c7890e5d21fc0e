import { strict as assert } from "node:assert";
import { after, before, test } from "node:test";
import { MemoryCacheStore } from "../../src/cache/index.js";
import { isKilnError } from "../../src/core/index.js";
import { HttpSession, SimpleIndexSource, fetchHttpClient } from "../../src/index/index.js";
import { makeWheel, sha256 } from "./fixtures.js";
import { serveBytes, startLoopbackServer, type LoopbackServer } from "./loopback-server.js";

const wheel = makeWheel({ name: "demo", version: "1.0", padding: 2048 });
const page = `<a href="/files/demo-1.0-py3-none-any.whl#sha256=${sha256(wheel)}">demo-1.0-py3-none-any.whl</a>`;
const newerPage = `${page}<a href="/files/demo-2.0-py3-none-any.whl#sha256=${"0".repeat(64)}">demo-2.0-py3-none-any.whl</a>`;
let server: LoopbackServer;
let now = Date.parse("2025-01-01T00:00:00Z");

function index(cache: MemoryCacheStore, path: string, extra: { offline?: boolean; refresh?: boolean } = {}) {
  const session = new HttpSession({ http: fetchHttpClient(), cache, now: () => now, retry: { retries: 0, initialDelayMs: 1, maxDelayMs: 1 }, ...extra });
  return new SimpleIndexSource({ url: `${server.url}${path}`, session });
}

before(async () => {
  server = await startLoopbackServer({
    "/fresh/demo/": (_q, r) => r.writeHead(200, { "content-type": "text/html", "cache-control": "max-age=600" }).end(page),
    "/etag/demo/": (request, response) => {
      if (request.headers["if-none-match"] === '"v1"') response.writeHead(304, { etag: '"v1"' }).end();
      else response.writeHead(200, { "content-type": "text/html", etag: '"v1"' }).end(page);
    },
    "/nostore/demo/": (_q, r) => r.writeHead(200, { "content-type": "text/html", "cache-control": "no-store" }).end(page),
    "/files/demo-1.0-py3-none-any.whl": serveBytes(wheel),
    "/changing/demo/": (_q, r) => r.writeHead(200, { "content-type": "text/html" }).end(server.hits("/changing/demo/") === 1 ? page : newerPage),
  });
});

after(() => server.close());

test("a fresh page (max-age) is served from the cache until it expires", async () => {
  const cache = new MemoryCacheStore();
  await index(cache, "/fresh/").listFiles("demo");
  await index(cache, "/fresh/").listFiles("demo");
  assert.equal(server.hits("/fresh/demo/"), 1);
  now += 601_000;
  await index(cache, "/fresh/").listFiles("demo");
  assert.equal(server.hits("/fresh/demo/"), 2);
});

test("a page with an ETag is revalidated: 304 reuses the cached body", async () => {
  const cache = new MemoryCacheStore();
  const first = await index(cache, "/etag/").listFiles("demo");
  const second = await index(cache, "/etag/").listFiles("demo");
  assert.deepEqual(second, first);
  const conditional = server.log.filter((entry) => entry.path === "/etag/demo/");
  assert.equal(conditional.length, 2);
  assert.equal(conditional[1]!.headers["if-none-match"], '"v1"');
});

test("a cached page whose body is damaged is not used for a 304: the page is asked for again, whole", async () => {
  const cache = new MemoryCacheStore();
  const first = await index(cache, "/etag/").listFiles("demo");
  const [entry] = await cache.list("http");
  const stored = (await cache.read(entry!.key))!;
  stored[stored.length - 2]! ^= 0xff; // the body's checksum no longer matches; the header still parses
  await cache.write(entry!.key, stored);
  const before = server.log.filter((e) => e.path === "/etag/demo/").length;
  assert.deepEqual(await index(cache, "/etag/").listFiles("demo"), first);
  const asked = server.log.filter((e) => e.path === "/etag/demo/").slice(before);
  assert.deepEqual(asked.map((e) => e.headers["if-none-match"]), ['"v1"', undefined], "revalidated, then fetched without validators");
});

test("--refresh revalidates a fresh page; no-store is never cached", async () => {
  const cache = new MemoryCacheStore();
  await index(cache, "/fresh/").listFiles("demo");
  const before = server.hits("/fresh/demo/");
  await index(cache, "/fresh/", { refresh: true }).listFiles("demo");
  assert.equal(server.hits("/fresh/demo/"), before + 1);
  await index(cache, "/nostore/").listFiles("demo");
  assert.deepEqual(await cache.list("http"), (await cache.list("http")).filter((e) => !e.key.includes("nostore")));
  assert.equal((await cache.list("http")).length, 1);
});

test("--offline uses cached pages and files however old, and says so when it has none", async () => {
  const cache = new MemoryCacheStore();
  const online = index(cache, "/etag/");
  const [file] = await online.listFiles("demo");
  await online.fetchFile(file!);
  await online.fetchMetadata(file!);
  const hits = server.log.length;
  now += 365 * 86_400_000;
  const offline = index(cache, "/etag/", { offline: true });
  const [again] = await offline.listFiles("demo");
  assert.deepEqual(await offline.fetchFile(again!), wheel);
  assert.match(await offline.fetchMetadata(again!), /Name: demo/);
  assert.equal(server.log.length, hits, "no request was made");
  await assert.rejects(offline.listFiles("other"), (e) => isKilnError(e, "offline") && e.message.includes("/etag/other/"));
});

test("a corrupt cache entry is detected and refetched", async () => {
  const cache = new MemoryCacheStore();
  const source = index(cache, "/fresh/");
  const [file] = await source.listFiles("demo");
  await source.fetchFile(file!);
  for (const entry of await cache.list("")) {
    const bytes = (await cache.read(entry.key))!;
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    await cache.write(entry.key, bytes);
  }
  const pageHits = server.hits("/fresh/demo/");
  const fileHits = server.hits("/files/demo-1.0-py3-none-any.whl");
  const [again] = await index(cache, "/fresh/").listFiles("demo");
  assert.deepEqual(await index(cache, "/fresh/").fetchFile(again!), wheel);
  assert.equal(server.hits("/fresh/demo/"), pageHits + 1);
  assert.equal(server.hits("/files/demo-1.0-py3-none-any.whl"), fileHits + 1);
});

test("a stale cached page is offered as a prefetch hint while it is revalidated; the answer is the new page", async () => {
  const cache = new MemoryCacheStore();
  const hints: string[][] = [];
  const onStaleFiles = (files: { filename: string }[]) => hints.push(files.map((f) => f.filename));
  await index(cache, "/changing/").listFiles("demo", { onStaleFiles });
  assert.deepEqual(hints, [], "nothing cached yet: no hint");
  const files = await index(cache, "/changing/").listFiles("demo", { onStaleFiles });
  assert.deepEqual(hints, [["demo-1.0-py3-none-any.whl"]]);
  assert.deepEqual(files.map((f) => f.filename), ["demo-1.0-py3-none-any.whl", "demo-2.0-py3-none-any.whl"]);
  await index(cache, "/fresh/").listFiles("demo", { onStaleFiles });
  await index(cache, "/fresh/").listFiles("demo", { onStaleFiles });
  assert.equal(hints.length, 1, "a fresh page is an answer, not a hint");
});
