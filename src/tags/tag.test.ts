import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { formatTag, formatTagSet, parseTag, tryParseTag } from "./tag.js";

const valid: [string, string[]][] = [
  ["py3-none-any", ["py3-none-any"]],
  ["py2.py3-none-any", ["py2-none-any", "py3-none-any"]],
  ["CP314-CP314-PyEmscripten_2026_0_WASM32", ["cp314-cp314-pyemscripten_2026_0_wasm32"]],
  ["cp313-cp313-pyodide_2025_0_wasm32.pyemscripten_2025_0_wasm32", [
    "cp313-cp313-pyodide_2025_0_wasm32",
    "cp313-cp313-pyemscripten_2025_0_wasm32",
  ]],
  ["cp36.cp37-abi3.none-manylinux1_x86_64", [
    "cp36-abi3-manylinux1_x86_64",
    "cp36-none-manylinux1_x86_64",
    "cp37-abi3-manylinux1_x86_64",
    "cp37-none-manylinux1_x86_64",
  ]],
  ["py3.py3-none-any", ["py3-none-any"]],
];

test("parseTag expands compressed tag sets in written order", () => {
  for (const [text, expected] of valid) {
    assert.deepEqual(parseTag(text).map(formatTag), expected, text);
  }
});

const invalid: [string, RegExp][] = [
  ["py3-none", /three parts/],
  ["py3-none-any-extra", /three parts/],
  ["py3..py2-none-any", /empty component/],
  ["-none-any", /empty component/],
  ["3py-none-any", /not an identifier/],
  ["py-3-none-any", /three parts/],
  [`${Array.from({ length: 20 }, (_, i) => `p${i}`).join(".")}-${Array.from({ length: 20 }, (_, i) => `a${i}`).join(".")}-${Array.from({ length: 20 }, (_, i) => `x${i}`).join(".")}`, /expands to 8000 tags/],
];

test("parseTag rejects malformed tags", () => {
  for (const [text, message] of invalid) {
    assert.throws(() => parseTag(text), (error) => isKilnError(error, "invalidTag") && message.test(error.message), text);
    assert.equal(tryParseTag(text), undefined);
  }
});

test("formatTagSet compresses a tag product and refuses anything else", () => {
  for (const [text] of valid) {
    const tags = parseTag(text);
    assert.deepEqual(parseTag(formatTagSet(tags)), tags, text);
  }
  assert.equal(formatTagSet(parseTag("py2.py3-none-any")), "py2.py3-none-any");
  assert.throws(() => formatTagSet([]), RangeError);
  assert.throws(
    () => formatTagSet([...parseTag("py2-none-any"), ...parseTag("py3-abi3-any")]),
    RangeError,
  );
});
