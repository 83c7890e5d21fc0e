import { strict as assert } from "node:assert";
import { test } from "node:test";
import { MemoryCacheStore } from "../cache/index.js";
import type { DistributionFile } from "./distribution-file.js";
import type { HttpClient } from "./http-client.js";
import { HttpSession } from "./http-session.js";
import { parseSimpleHtml } from "./parse-simple-html.js";
import { projectPageCodec } from "./project-page-codec.js";
import { listingOfPage, pageOfListing, type ProjectPage } from "./project-page.js";
import { isKilnError } from "../core/index.js";

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
  test(`projectPageCodec round-trips ${name}`, () => assert.deepEqual(pageOfListing(projectPageCodec.decode(projectPageCodec.encode(listingOfPage(page)))), page));
}

test("projectPageCodec groups files by the version in their names, and keeps files that name none", () => {
  const files = [
    file({ filename: "demo-1.0-py3-none-any.whl" }),
    file({ filename: "demo-2.0-py3-none-any.whl" }),
    file({ filename: "demo-1.0.tar.gz" }),
    file({ filename: "notes.txt", url: "https://files.example.org/notes.txt" }),
    file({ filename: "demo-2.0.tar.gz" }),
  ];
  const listing = projectPageCodec.decode(projectPageCodec.encode(listingOfPage({ apiVersion: "1.0", files, warnings: [] }))).files;
  assert.deepEqual(listing.versions, ["1.0", "2.0"]);
  assert.deepEqual(listing.filesOf("1.0"), [files[0], files[2]]);
  assert.deepEqual(listing.filesOf("2.0"), [files[1], files[4]]);
  assert.deepEqual(listing.filesOf("3.0"), []);
  assert.deepEqual(listing.all(), [files[0], files[2], files[1], files[4], files[3]]);
});

test("projectPageCodec decodes one version's group at a time: a damaged group fails alone, as a KilnError", () => {
  const files = [file({ filename: "demo-1.0-py3-none-any.whl" }), file({ filename: "demo-2.0-py3-none-any.whl" })];
  const bytes = projectPageCodec.encode(listingOfPage({ apiVersion: "1.0", files, warnings: [] }));
  // Damage the second group only: its JSON array's opening bracket.
  bytes[new TextDecoder().decode(bytes).lastIndexOf('[["demo-2.0')] = "x".charCodeAt(0);
  const listing = projectPageCodec.decode(bytes).files;
  assert.deepEqual(listing.filesOf("1.0"), [files[0]]);
  assert.throws(() => listing.filesOf("2.0"), (error) => isKilnError(error) && error.code === "cacheIo" && /kiln cache clean/.test(error.hint ?? ""));
});

test("projectPageCodec refuses bytes that are not a stored page", () => {
  for (const bad of ["", "{}", "[1]", '{"a":"1.0","f":[[1]]}', '{"a":"1.0","i":"","w":[],"g":[["1.0",0,9]]}\n[]', '{"a":"1.0","i":"","w":[],"g":[["1.0",2,1]]}\n[]']) assert.throws(() => projectPageCodec.decode(new TextEncoder().encode(bad)));
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
      parse: (page) => (parses++, listingOfPage(parseSimpleHtml(new TextDecoder().decode(page.body), { url: page.url, indexUrl: index }))),
    });
  const first = await get();
  assert.deepEqual(pageOfListing((await get())!), pageOfListing(first!));
  assert.equal(server.hits, 2, "a page without validators is downloaded again");
  assert.equal(parses, 1, "but not parsed again");
  assert.equal(writes, 1, "nor stored again");
  html += `<a href="/f/demo-2.0-py3-none-any.whl#sha256=${"b".repeat(64)}">demo-2.0-py3-none-any.whl</a>`;
  assert.equal((await get())!.files.all().length, 2);
  assert.equal(parses, 2);
  assert.equal((await get(true))!.files.all().length, 2);
  assert.equal(server.hits, 3);
});
