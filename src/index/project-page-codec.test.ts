import { strict as assert } from "node:assert";
import { test } from "node:test";
import { MemoryCacheStore } from "../cache/index.js";
import type { DistributionFile } from "./distribution-file.js";
import type { HttpClient } from "./http-client.js";
import { HttpSession } from "./http-session.js";
import { parseSimpleHtml } from "./parse-simple-html.js";
import { projectPageCodec } from "./project-page-codec.js";
import type { ProjectPage } from "./project-page.js";

const index = "https://example.org/simple/";
const file = (overrides: Partial<DistributionFile>): DistributionFile => ({
  filename: "demo-1.0-py3-none-any.whl",
  url: "https://files.example.org/ab/demo-1.0-py3-none-any.whl",
  hashes: { sha256: "0".repeat(64) },
  indexUrl: index,
  ...overrides,
});

const pages: [string, ProjectPage][] = [
  ["an empty page", { apiVersion: "1.0", files: [], warnings: [] }],
  [
    "every optional field",
    {
      name: "demo",
      apiVersion: "1.1",
      versions: ["1.0", "2.0"],
      warnings: ["skipped x"],
      files: [
        file({ requiresPython: ">=3.8", yanked: "broken", size: 12, uploadTime: "2025-01-01T00:00:00Z", coreMetadata: { sha256: "1".repeat(64) } }),
        file({ filename: "demo-2.0.tar.gz", url: "https://files.example.org/other-name.tar.gz", hashes: { sha256: "2".repeat(64), md5: "3".repeat(32) }, yanked: true, coreMetadata: false }),
        file({ filename: "demo-2.0-py3-none-any.whl", url: "https://files.example.org/odd/", hashes: {} }),
        file({ filename: "demo-3.0-py3-none-any.whl", url: "https://files.example.org/demo-3.0-py3-none-any.whl", indexUrl: "https://mirror.example.org/" }),
      ],
    },
  ],
];
for (const [name, page] of pages) {
  test(`projectPageCodec round-trips ${name}`, () => assert.deepEqual(projectPageCodec.decode(projectPageCodec.encode(page)), page));
}

test("projectPageCodec refuses bytes that are not a stored page", () => {
  for (const bad of ["", "{}", "[1]", '{"a":"1.0","f":[[1]]}']) assert.throws(() => projectPageCodec.decode(new TextEncoder().encode(bad)));
});

/** A server that sends no validators and no Cache-Control, like this machine's PyPI mirror. */
function plainServer(body: () => string): HttpClient & { hits: number } {
  const client = {
    hits: 0,
    async request(request: { url: string }) {
      client.hits++;
      const bytes = new TextEncoder().encode(body());
      return {
        url: request.url,
        status: 200,
        statusText: "OK",
        headers: new Headers({ "content-type": "text/html", "content-length": String(bytes.byteLength) }),
        body: (async function* () {
          yield bytes;
        })(),
        cancel: () => {},
      };
    },
  };
  return client;
}

test("getPage with a codec: an unchanged page is not parsed again; a changed one is; offline decodes the stored value", async () => {
  let html = `<a href="/f/demo-1.0-py3-none-any.whl#sha256=${"a".repeat(64)}">demo-1.0-py3-none-any.whl</a>`;
  const server = plainServer(() => html);
  const cache = new MemoryCacheStore();
  let writes = 0;
  const write = cache.write.bind(cache);
  cache.write = (key, data) => (writes++, write(key, data));
  let parses = 0;
  const get = (offline = false) =>
    new HttpSession({ http: server, cache, offline }).getPage(`${index}demo/`, {
      accept: "text/html",
      codec: projectPageCodec,
      parse: (page) => (parses++, parseSimpleHtml(new TextDecoder().decode(page.body), { url: page.url, indexUrl: index })),
    });
  const first = await get();
  assert.deepEqual(await get(), first);
  assert.equal(server.hits, 2, "a page without validators is downloaded again");
  assert.equal(parses, 1, "but not parsed again");
  assert.equal(writes, 1, "nor stored again");
  html += `<a href="/f/demo-2.0-py3-none-any.whl#sha256=${"b".repeat(64)}">demo-2.0-py3-none-any.whl</a>`;
  assert.equal((await get())!.files.length, 2);
  assert.equal(parses, 2);
  assert.equal((await get(true))!.files.length, 2);
  assert.equal(server.hits, 3);
});
