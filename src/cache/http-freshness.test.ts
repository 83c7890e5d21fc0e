import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isFresh, isStorable, parseCacheControl, renewCacheMeta, revalidationHeaders, type HttpCacheMeta } from "./http-freshness.js";

const now = Date.parse("2025-01-01T00:10:00Z");
const meta = (headers: HttpCacheMeta["headers"], ageSeconds: number): HttpCacheMeta => ({
  url: "https://example.org/simple/x/",
  finalUrl: "https://example.org/simple/x/",
  status: 200,
  headers,
  storedAt: now - ageSeconds * 1000,
});

const freshness: [string, HttpCacheMeta["headers"], number, boolean][] = [
  ["max-age not yet reached", { "cache-control": "max-age=600, public" }, 599, true],
  ["max-age reached", { "cache-control": "max-age=600" }, 600, false],
  ["Age header counts", { "cache-control": "max-age=600", age: "590" }, 20, false],
  ["no-cache always revalidates", { "cache-control": "no-cache, max-age=600" }, 1, false],
  ["no freshness information: stale", { etag: '"x"' }, 1, false],
  ["Expires minus Date", { expires: "Wed, 01 Jan 2025 01:00:00 GMT", date: "Wed, 01 Jan 2025 00:00:00 GMT" }, 3000, true],
  ["Expires already past", { expires: "Wed, 01 Jan 2025 00:00:00 GMT", date: "Wed, 01 Jan 2025 00:00:00 GMT" }, 1, false],
  ["unparseable Expires is stale", { expires: "0" }, 0, false],
  ["max-age beats Expires", { "cache-control": "max-age=0", expires: "Wed, 01 Jan 2025 01:00:00 GMT", date: "Wed, 01 Jan 2025 00:00:00 GMT" }, 0, false],
];

for (const [name, headers, age, expected] of freshness) {
  test(`isFresh: ${name}`, () => assert.equal(isFresh(meta(headers, age), now), expected));
}

test("parseCacheControl handles quoted values, case and junk", () => {
  assert.deepEqual(parseCacheControl('Max-Age=60, PUBLIC, no-cache="set-cookie", =bad'), { "max-age": "60", public: true, "no-cache": "set-cookie" });
  assert.deepEqual(parseCacheControl(undefined), {});
});

test("isStorable refuses no-store and non-200", () => {
  assert.equal(isStorable(200, {}), true);
  assert.equal(isStorable(200, { "cache-control": "private, no-store" }), false);
  assert.equal(isStorable(206, {}), false);
});

test("revalidation uses ETag and Last-Modified; a 304 renews the entry", () => {
  const stored = meta({ etag: '"v1"', "last-modified": "Tue, 31 Dec 2024 00:00:00 GMT", "content-type": "text/html", age: "100" }, 1000);
  assert.deepEqual(revalidationHeaders(stored), { "if-none-match": '"v1"', "if-modified-since": "Tue, 31 Dec 2024 00:00:00 GMT" });
  const renewed = renewCacheMeta(stored, new Headers({ "cache-control": "max-age=60", "content-type": "text/plain" }), now);
  assert.equal(renewed.storedAt, now);
  assert.equal(renewed.headers["content-type"], "text/html", "a 304 does not change the body's type");
  assert.equal(renewed.headers.age, undefined);
  assert.equal(isFresh(renewed, now + 59_000), true);
});
