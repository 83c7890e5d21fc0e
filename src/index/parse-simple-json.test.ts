import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { parseSimpleJson } from "./parse-simple-json.js";
import { parseProjectPage } from "./parse-project-page.js";

const location = { url: "https://example.org/simple/demo/", indexUrl: "https://example.org/simple/" };

const full = {
  meta: { "api-version": "1.1" },
  name: "demo",
  versions: ["1.0", "2.0"],
  files: [
    {
      filename: "demo-1.0-py3-none-any.whl",
      url: "../../files/demo-1.0-py3-none-any.whl",
      hashes: { sha256: "AB", md5: "cd" },
      "requires-python": ">=3.8",
      "core-metadata": { sha256: "ef" },
      "dist-info-metadata": { sha256: "00" },
      yanked: "bad build",
      size: 1234,
      "upload-time": "2024-01-01T00:00:00.000000Z",
    },
    { filename: "demo-2.0.tar.gz", url: "https://cdn.example.org/demo-2.0.tar.gz#sha256=99", hashes: {}, "dist-info-metadata": true, yanked: false },
  ],
};

test("parseSimpleJson: every PEP 691/700/714 field", () => {
  const page = parseSimpleJson(JSON.stringify(full), location);
  assert.equal(page.name, "demo");
  assert.deepEqual(page.versions, ["1.0", "2.0"]);
  assert.deepEqual(page.files[0], {
    filename: "demo-1.0-py3-none-any.whl",
    url: "https://example.org/files/demo-1.0-py3-none-any.whl",
    hashes: { sha256: "ab", md5: "cd" },
    requiresPython: ">=3.8",
    coreMetadata: { sha256: "ef" },
    yanked: "bad build",
    size: 1234,
    uploadTime: "2024-01-01T00:00:00.000000Z",
    indexUrl: location.indexUrl,
  });
  assert.deepEqual(page.files[1]!.hashes, { sha256: "99" });
  assert.equal(page.files[1]!.url, "https://cdn.example.org/demo-2.0.tar.gz");
  assert.equal(page.files[1]!.coreMetadata, true);
  assert.equal(page.files[1]!.yanked, false);
});

const malformed: [string, string, RegExp][] = [
  ["not JSON", "<html>", /not JSON/],
  ["an array", "[]", /not a JSON object/],
  ["no meta", '{"files": []}', /meta\.api-version is missing/],
  ["files not a list", '{"meta": {"api-version": "1.0"}, "files": {}}', /files is not a list/],
  ["file without url", '{"meta": {"api-version": "1.0"}, "files": [{"filename": "x", "hashes": {}}]}', /files\[0\]\.url is not a string/],
  ["bad hashes", '{"meta": {"api-version": "1.0"}, "files": [{"filename": "x", "url": "x", "hashes": []}]}', /files\[0\]\.hashes is not an object/],
  ["bad yanked", '{"meta": {"api-version": "1.0"}, "files": [{"filename": "x", "url": "x", "hashes": {}, "yanked": 1}]}', /yanked/],
  ["bad size", '{"meta": {"api-version": "1.0"}, "files": [{"filename": "x", "url": "x", "hashes": {}, "size": -1}]}', /size/],
  ["bad versions", '{"meta": {"api-version": "1.1"}, "files": [], "versions": [1]}', /versions/],
];

for (const [name, text, pattern] of malformed) {
  test(`parseSimpleJson: ${name} is invalidIndexPage naming the URL`, () => {
    assert.throws(
      () => parseSimpleJson(text, location),
      (e) => isKilnError(e, "invalidIndexPage") && pattern.test(e.message) && e.message.includes(location.url),
    );
  });
}

test("parseSimpleJson: unsafe file names and foreign URLs are skipped with a warning", () => {
  const page = parseSimpleJson(
    JSON.stringify({
      meta: { "api-version": "1.0" },
      files: [
        { filename: "../evil.whl", url: "evil.whl", hashes: {} },
        { filename: "x.whl", url: "file:///etc/passwd", hashes: {} },
        { filename: "ok-1.tar.gz", url: "ok-1.tar.gz", hashes: {} },
      ],
    }),
    location,
  );
  assert.deepEqual(page.files.map((f) => f.filename), ["ok-1.tar.gz"]);
  assert.equal(page.warnings.length, 2);
});

test("parseSimpleJson: api-version 2 is refused", () => {
  assert.throws(() => parseSimpleJson('{"meta": {"api-version": "2.0"}, "files": []}', location), (e) => isKilnError(e, "unsupportedIndexApi"));
});

test("parseProjectPage: dispatches on Content-Type", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  const json = bytes('{"meta": {"api-version": "1.0"}, "files": [{"filename": "a-1.tar.gz", "url": "a-1.tar.gz", "hashes": {}}]}');
  const html = bytes('<a href="a-1.tar.gz">a</a>');
  assert.equal(parseProjectPage(json, "application/vnd.pypi.simple.v1+json", location).files.length, 1);
  assert.equal(parseProjectPage(html, "application/vnd.pypi.simple.v1+html", location).files.length, 1);
  assert.equal(parseProjectPage(html, "text/html; charset=utf-8", location).files.length, 1);
  assert.equal(parseProjectPage(html, null, location).files.length, 1);
  assert.throws(() => parseProjectPage(json, "application/vnd.pypi.simple.v2+json", location), (e) => isKilnError(e, "unsupportedIndexApi"));
  assert.throws(() => parseProjectPage(new Uint8Array([0xff, 0xfe, 0x00]), "text/html", location), (e) => isKilnError(e, "invalidIndexPage"));
});
