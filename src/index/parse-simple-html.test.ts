import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { parseSimpleHtml } from "./parse-simple-html.js";

const location = { url: "https://example.org/simple/demo/", indexUrl: "https://example.org/simple/" };

const cases: { name: string; html: string; expect: Record<string, unknown>[]; url?: string }[] = [
  {
    name: "PEP 503 page with hash fragment and escaped requires-python",
    html: '<!DOCTYPE html><html><body><a href="../../files/demo-1.0-py3-none-any.whl#sha256=ABCDEF" data-requires-python="&gt;=3.8,&lt;4">demo-1.0-py3-none-any.whl</a><br/></body></html>',
    expect: [{ filename: "demo-1.0-py3-none-any.whl", url: "https://example.org/files/demo-1.0-py3-none-any.whl", hashes: { sha256: "abcdef" }, requiresPython: ">=3.8,<4" }],
  },
  {
    name: "yanked with and without a reason",
    html: '<a href="a-1.tar.gz" data-yanked>a</a><a href="a-2.tar.gz" data-yanked="broken &amp; bad">a</a><a href="a-3.tar.gz" data-yanked="">a</a>',
    expect: [
      { filename: "a-1.tar.gz", yanked: true },
      { filename: "a-2.tar.gz", yanked: "broken & bad" },
      { filename: "a-3.tar.gz", yanked: true },
    ],
  },
  {
    name: "core-metadata wins over dist-info-metadata (PEP 714); true and hash forms",
    html:
      '<a href="x-1-py3-none-any.whl" data-core-metadata="sha256=AA" data-dist-info-metadata="sha256=bb">x</a>' +
      '<a href="x-2-py3-none-any.whl" data-dist-info-metadata="true">x</a>' +
      '<a href="x-3-py3-none-any.whl" data-core-metadata="false">x</a>',
    expect: [
      { filename: "x-1-py3-none-any.whl", coreMetadata: { sha256: "aa" } },
      { filename: "x-2-py3-none-any.whl", coreMetadata: true },
      { filename: "x-3-py3-none-any.whl", coreMetadata: false },
    ],
  },
  {
    name: "base tag (even after the anchors) changes the base; resolved against the page URL",
    html: '<a href="x-1.tar.gz">x</a><base href="/mirror/files/">',
    expect: [{ url: "https://example.org/mirror/files/x-1.tar.gz" }],
  },
  {
    name: "upper-case tags, unquoted and single-quoted attributes, comments and scripts",
    html: "<!-- <a href='hidden-1.tar.gz'>no</a> --><SCRIPT>var s = '<a href=\"no-1.tar.gz\">';</SCRIPT><A HREF=x-1.tar.gz DATA-REQUIRES-PYTHON='>=3'>x</A>",
    expect: [{ filename: "x-1.tar.gz", requiresPython: ">=3" }],
  },
  {
    name: "unsafe and foreign links are skipped",
    html: '<a href="javascript:alert(1)">x</a><a href="file:///etc/passwd">x</a><a href="dir/">x</a><a href="x%2F..%2Fevil.whl">x</a><a href="ok-1.tar.gz">ok</a><a>no href</a>',
    expect: [{ filename: "ok-1.tar.gz" }],
  },
  {
    name: "percent-encoded file names are decoded; upload time kept",
    html: '<a href="https://files.example.org/p/demo%2Bx-1.0.tar.gz" data-upload-time="2024-01-02T03:04:05Z">demo+x-1.0.tar.gz</a>',
    expect: [{ filename: "demo+x-1.0.tar.gz", url: "https://files.example.org/p/demo%2Bx-1.0.tar.gz", uploadTime: "2024-01-02T03:04:05Z" }],
  },
  {
    name: "truncated markup does not crash",
    html: '<a href="x-1.tar.gz">x</a><a href="y-1.tar.gz',
    expect: [{ filename: "x-1.tar.gz" }, { filename: "y-1.tar.gz" }],
  },
];

for (const c of cases) {
  test(`parseSimpleHtml: ${c.name}`, () => {
    const page = parseSimpleHtml(c.html, location);
    assert.equal(page.files.length, c.expect.length, JSON.stringify(page.files));
    c.expect.forEach((expected, i) => {
      for (const [key, value] of Object.entries(expected)) assert.deepEqual((page.files[i] as unknown as Record<string, unknown>)[key], value, key);
      assert.equal(page.files[i]!.indexUrl, location.indexUrl);
    });
  });
}

test("parseSimpleHtml: skipped links become warnings", () => {
  const page = parseSimpleHtml('<a href="javascript:x">x</a>', location);
  assert.equal(page.files.length, 0);
  assert.match(page.warnings[0]!, /Skipped the link "javascript:x"/);
});

test("parseSimpleHtml: the repository version meta tag is checked (PEP 629)", () => {
  const meta = (v: string) => `<html><head><meta name="pypi:repository-version" content="${v}"></head><body></body></html>`;
  assert.equal(parseSimpleHtml(meta("1.0"), location).apiVersion, "1.0");
  assert.match(parseSimpleHtml(meta("1.9"), location).warnings[0]!, /newer than 1\.1/);
  assert.throws(() => parseSimpleHtml(meta("2.0"), location), (e) => isKilnError(e, "unsupportedIndexApi") && /example\.org/.test(e.message));
});

test("parseSimpleHtml: a huge page parses in linear time", () => {
  const anchor = '<a href="../../f/demo-1.0.{i}-py3-none-any.whl#sha256=00" data-requires-python="&gt;=3.8">demo</a>\n';
  const html = Array.from({ length: 100_000 }, (_, i) => anchor.replace("{i}", String(i))).join("");
  const page = parseSimpleHtml(html, location);
  assert.equal(page.files.length, 100_000);
  assert.equal(page.files[99_999]!.filename, "demo-1.0.99999-py3-none-any.whl");
});

test("parseSimpleHtml: many unclosed script tags stay linear", () => {
  const html = "<script>".repeat(50_000) + '<a href="x-1.tar.gz">x</a>';
  assert.equal(parseSimpleHtml(html, location).files.length, 0);
});
