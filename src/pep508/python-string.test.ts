import { strict as assert } from "node:assert";
import { test } from "node:test";
import { decodePythonString, quotePythonString } from "./python-string.js";

// Expected values are what Python's ast.literal_eval gives for the same literal.
const decoded: [body: string, value: string | RegExp][] = [
  ["plain", "plain"],
  ["", ""],
  [String.raw`a\tb`, "a\tb"],
  [String.raw`\\`, "\\"],
  [String.raw`\'\"`, `'"`],
  [String.raw`\x41\u00e9\U0001F600`, "Aé😀"],
  [String.raw`\101\7\777`, "A\x07ǿ"],
  [String.raw`\d\8`, String.raw`\d\8`],
  ["a\\\nb", "ab"],
  ["a\\\r\nb", "ab"],
  ["a\fb", "a\fb"],
  ["a\nb", /line break/],
  ["a\rb", /line break/],
  ["a\0b", /null/],
  [String.raw`\x4`, /truncated/],
  [String.raw`\u12`, /truncated/],
  [String.raw`\U00110000`, /not a Unicode character/],
  ["ends with \\", /closing quote/],
  [String.raw`\N{BULLET}`, /not supported/],
];

test("decodePythonString decodes like ast.literal_eval", () => {
  for (const [body, expected] of decoded) {
    const result = decodePythonString(body);
    if (typeof expected === "string") assert.deepEqual(result, { value: expected }, JSON.stringify(body));
    else assert.ok("problem" in result && expected.test(result.problem), JSON.stringify(body));
  }
});

test("quotePythonString round-trips through decodePythonString", () => {
  const values = ["linux", "", `say "hi"`, `it's`, `both ' and "`, "back\\slash", "line\nbreak\r", "nul\0", "\\x22"];
  const quoted = values.map(quotePythonString);
  assert.deepEqual(quoted.slice(0, 4), [`"linux"`, `""`, `'say "hi"'`, `"it's"`]);
  values.forEach((value, index) => {
    const text = quoted[index]!;
    const quote = text[0]!;
    assert.equal(text.slice(1, -1).includes(quote), false, text);
    assert.deepEqual(decodePythonString(text.slice(1, -1)), { value }, text);
  });
});
