import { strict as assert } from "node:assert";
import { after, before, test } from "node:test";
import { MemoryCacheStore } from "../../src/cache/index.js";
import { isKilnError } from "../../src/core/index.js";
import { HttpSession, SimpleIndexSource, combineSources, fetchCoreMetadata, fetchHttpClient } from "../../src/index/index.js";
import { makeWheel, metadataText, sha256 } from "./fixtures.js";
import { serveBytes, serveText, startLoopbackServer, type LoopbackServer } from "./loopback-server.js";

const quickRetry = { retries: 2, initialDelayMs: 1, maxDelayMs: 5 };
const wheel = makeWheel({ name: "demo", version: "1.0", requires: ["dep>=1"], padding: 400_000 });
const wheelSha = sha256(wheel);
const metadata = metadataText("demo", "1.0", ["dep>=1"]);
let server: LoopbackServer;

function session(options: Partial<ConstructorParameters<typeof HttpSession>[0]> = {}) {
  return new HttpSession({ http: fetchHttpClient(), retry: quickRetry, idleTimeoutMs: 2_000, ...options });
}

function jsonPage(files: unknown[], extra: Record<string, unknown> = {}) {
  return JSON.stringify({ meta: { "api-version": "1.1" }, name: "demo", files, ...extra });
}

before(async () => {
  server = await startLoopbackServer({
    // JSON index behind a redirect: relative file URLs resolve against the final URL.
    "/json/demo/": (_q, r) => r.writeHead(301, { location: "/moved/json/demo/" }).end(),
    "/moved/json/demo/": (request, response) => {
      assert.match(request.headers.accept ?? "", /application\/vnd\.pypi\.simple\.v1\+json/);
      response.writeHead(200, { "content-type": "application/vnd.pypi.simple.v1+json", "cache-control": "max-age=600" }).end(
        jsonPage(
          [
            { filename: "demo-1.0-py3-none-any.whl", url: "../../../files/demo-1.0-py3-none-any.whl", hashes: { sha256: wheelSha }, "core-metadata": { sha256: sha256(metadata) }, size: wheel.byteLength },
            { filename: "demo-0.9.tar.gz", url: "../../../files/demo-0.9.tar.gz", hashes: {}, yanked: "broken" },
          ],
          { versions: ["0.9", "1.0"] },
        ),
      );
    },
    "/files/demo-1.0-py3-none-any.whl": serveBytes(wheel),
    "/files/demo-1.0-py3-none-any.whl.metadata": serveText(metadata, { "content-type": "text/plain" }),
    // HTML index (PEP 503 only), no metadata files advertised: range requests.
    "/html/demo/": serveText(
      `<html><body><a href="/files/demo-1.0-py3-none-any.whl#sha256=${wheelSha}" data-requires-python="&gt;=3.8">demo-1.0-py3-none-any.whl</a></body></html>`,
      { etag: '"v1"' },
    ),
    // A server that ignores Range.
    "/norange/demo/": serveText(`<a href="/norange-files/demo-1.0-py3-none-any.whl#sha256=${wheelSha}">w</a>`),
    "/norange-files/demo-1.0-py3-none-any.whl": serveBytes(wheel, { ranges: false }),
    // An index whose metadata file does not match the advertised hash.
    "/badmeta/demo/": serveText(`<a href="/files/demo-1.0-py3-none-any.whl#sha256=${wheelSha}" data-core-metadata="sha256=${"0".repeat(64)}">w</a>`),
    // An index whose wheel does not match its hash.
    "/badhash/demo/": serveText(`<a href="/files/demo-1.0-py3-none-any.whl#sha256=${"1".repeat(64)}">w</a>`),
    "/auth/demo/": (request, response) => {
      if (request.headers.authorization !== `Basic ${Buffer.from("me:s3cret").toString("base64")}`) {
        response.writeHead(401).end();
        return;
      }
      response.writeHead(200, { "content-type": "text/html" }).end('<a href="/files/demo-1.0-py3-none-any.whl">w</a>');
    },
  });
});

after(() => server.close());

test("a PEP 691 JSON index: negotiation, redirects, relative URLs, PEP 700 fields, yanked", async () => {
  const index = new SimpleIndexSource({ url: `${server.url}/json`, session: session() });
  const page = await index.getProjectPage("Demo");
  assert.deepEqual(page?.versions, ["0.9", "1.0"]);
  const [whl, sdist] = page!.files;
  assert.equal(whl!.url, `${server.url}/files/demo-1.0-py3-none-any.whl`);
  assert.equal(whl!.size, wheel.byteLength);
  assert.equal(whl!.indexUrl, `${server.url}/json/`);
  assert.equal(sdist!.yanked, "broken");
});

test("PEP 658: an advertised metadata file is used and its hash checked", async () => {
  const index = new SimpleIndexSource({ url: `${server.url}/json/`, session: session() });
  const [whl] = await index.listFiles("demo");
  const before = server.hits("/files/demo-1.0-py3-none-any.whl");
  assert.equal(await index.fetchMetadata(whl!), metadata);
  assert.equal(server.hits("/files/demo-1.0-py3-none-any.whl"), before, "the wheel itself was not touched");
});

test("PEP 658: a metadata file with the wrong hash is an error naming its URL", async () => {
  const index = new SimpleIndexSource({ url: `${server.url}/badmeta/`, session: session() });
  const [whl] = await index.listFiles("demo");
  await assert.rejects(index.fetchMetadata(whl!), (e) => isKilnError(e, "hashMismatch") && e.message.includes("demo-1.0-py3-none-any.whl.metadata") && /3 attempts/.test(e.message));
});

test("range requests read METADATA from the end of the wheel with one small request", async () => {
  const index = new SimpleIndexSource({ url: `${server.url}/html/`, session: session() });
  const [whl] = await index.listFiles("demo");
  assert.equal(whl!.requiresPython, ">=3.8");
  let how: { via: string; bytesFetched: number } | undefined;
  const text = await fetchCoreMetadata(session(), whl!, { onFetched: (h) => (how = h) });
  assert.equal(text, metadata);
  assert.equal(how?.via, "range-requests");
  assert.ok(how!.bytesFetched <= 64 * 1024, `fetched ${how!.bytesFetched} bytes of ${wheel.byteLength}`);
});

test("a server that ignores Range sends the whole wheel, which is verified and cached for fetchFile", async () => {
  const cache = new MemoryCacheStore();
  const index = new SimpleIndexSource({ url: `${server.url}/norange/`, session: session({ cache }) });
  const [whl] = await index.listFiles("demo");
  assert.equal(await index.fetchMetadata(whl!), metadata);
  const hits = server.hits("/norange-files/demo-1.0-py3-none-any.whl");
  assert.deepEqual(await index.fetchFile(whl!), wheel);
  assert.equal(server.hits("/norange-files/demo-1.0-py3-none-any.whl"), hits, "fetchFile was served from the cache");
});

test("fetchFile verifies the hash; a wrong one is retried, then an error naming the URL", async () => {
  const index = new SimpleIndexSource({ url: `${server.url}/badhash/`, session: session() });
  const [whl] = await index.listFiles("demo");
  const before = server.hits("/files/demo-1.0-py3-none-any.whl");
  await assert.rejects(index.fetchFile(whl!), (e) => {
    assert.ok(isKilnError(e, "hashMismatch"));
    assert.match(e.message, new RegExp(`${server.url}/files/demo-1.0-py3-none-any.whl does not match its sha256 hash: expected 1{64}, got ${wheelSha} \\(gave up after 3 attempts\\)`));
    return true;
  });
  assert.equal(server.hits("/files/demo-1.0-py3-none-any.whl") - before, 3);
});

test("an unknown project is an empty list, not an error", async () => {
  const index = new SimpleIndexSource({ url: `${server.url}/json/`, session: session() });
  assert.deepEqual(await index.listFiles("nothing-here"), []);
});

test("credentials in the index URL are sent as basic auth and never shown", async () => {
  const index = new SimpleIndexSource({ url: `${server.url.replace("//", "//me:s3cret@")}/auth/`, session: session() });
  assert.equal(index.url, `${server.url}/auth/`);
  assert.equal((await index.listFiles("demo")).length, 1);
  const anonymous = new SimpleIndexSource({ url: `${server.url}/auth/`, session: session() });
  await assert.rejects(anonymous.listFiles("demo"), (e) => isKilnError(e, "httpStatus") && /401/.test(e.message) && /credentials/.test(e.hint ?? ""));
});

test("first-index-wins: a later index cannot shadow a project the first one has", async () => {
  const s = session();
  const first = new SimpleIndexSource({ url: `${server.url}/html/`, session: s });
  const second = new SimpleIndexSource({ url: `${server.url}/json/`, session: s });
  const combined = combineSources([first, second]);
  const files = await combined.listFiles("demo");
  assert.deepEqual(files.map((f) => f.indexUrl), [`${server.url}/html/`]);
  assert.equal(await combined.fetchMetadata(files[0]!), metadata);
  const merged = await combineSources([first, second], { strategy: "unsafe-best-match" }).listFiles("demo");
  assert.equal(merged.length, 3);
  const onlySecond = await combineSources([first, second]).listFiles("nothing-here");
  assert.deepEqual(onlySecond, []);
});
