import { strict as assert } from "node:assert";
import { test } from "node:test";
import { readXml } from "./read-xml.js";

test("reads elements, attributes, text, CDATA and character references", () => {
  const root = readXml(
    `<?xml version="1.0" encoding="utf-8"?><!-- c --><!DOCTYPE x><r a='1' b="x &amp; &lt;y&gt; &#10;&#x41;"><c>one<![CDATA[ <two> & ]]>three</c><d/><e k = "v" /></r>`,
  );
  assert.equal(root.name, "r");
  assert.deepEqual(root.attributes, { a: "1", b: "x & <y> \nA" });
  assert.deepEqual(root.children.map((c) => c.name), ["c", "d", "e"]);
  assert.equal(root.children[0]!.text, "one <two> & three");
  assert.deepEqual(root.children[2]!.attributes, { k: "v" });
});

test("an attribute value may hold > and /", () => {
  assert.deepEqual(readXml(`<r m="a > b / c"/>`).attributes, { m: "a > b / c" });
});

const malformed: Array<[string, RegExp]> = [
  ["", /exactly one root/],
  ["<a><b></a>", /Unexpected <\/a>/],
  ["<a>", /ends inside <a>/],
  ["<a></a><b/>", /exactly one root/],
  ["<a>&bogus;</a>", /Unknown entity/],
  ["<a>&#x110000;</a>", /out of range/],
  ["<a><![CDATA[ x </a>", /Unterminated/],
  ["<a b=c/>", /Malformed tag/],
  ["</a>", /Unexpected/],
];

for (const [text, message] of malformed) {
  test(`refuses malformed XML ${JSON.stringify(text)}`, () => {
    assert.throws(() => readXml(text), (error: unknown) => error instanceof SyntaxError && message.test(error.message));
  });
}
