import { strict as assert } from "node:assert";
import { test } from "node:test";
import { headerValue, headerValues, parseEmailHeaders } from "./email-headers.js";

// Expected results are what email.parser.Parser(policy=compat32) gives for the same text.
const cases: [text: string, fields: [string, string][], body: string, defects: number][] = [
  ["Name: a\nVersion: 1.0\n", [["Name", "a"], ["Version", "1.0"]], "", 0],
  ["Name: a\r\nVersion: 1.0\r\n\r\nbody\r\nmore", [["Name", "a"], ["Version", "1.0"]], "body\r\nmore", 0],
  ["Name:a\nName:   b  \n", [["Name", "a"], ["Name", "b  "]], "", 0],
  ["Summary: one\n  two\n\tthree\nX: y\n", [["Summary", "one\n  two\n\tthree"], ["X", "y"]], "", 0],
  ["Description:\n        |line\n        |\n", [["Description", "\n        |line\n        |"]], "", 0],
  ["Name: a\n \nX: b\n", [["Name", "a\n "], ["X", "b"]], "", 0],
  ["Name: a\nnot a header\nX: y\n\nbody", [["Name", "a"]], "not a header\nX: y\n\nbody", 1],
  ["Name: a\nBad Name: y\n", [["Name", "a"]], "Bad Name: y\n", 1],
  [" leading continuation\nName: a\n", [["Name", "a"]], "", 1],
  [": no name\nName: a\n", [["Name", "a"]], "", 1],
  ["From someone\nName: a\n", [["Name", "a"]], "", 0],
  ["Name: a\nFrom x\nX: y\n", [["Name", "a"], ["X", "y"]], "", 1],
  ["Name: a\nFrom x\n\nbody\n", [["Name", "a"]], "From x\nbody\n", 0],
  ["Name: a\n\n\nbody\n\n", [["Name", "a"]], "\nbody\n\n", 0],
  ["Empty:\nKey: a:b: c\n", [["Empty", ""], ["Key", "a:b: c"]], "", 0],
  ["Name: a\rVersion: 1\r\rbody", [["Name", "a"], ["Version", "1"]], "body", 0],
  ["Name: a\fb\nX: y\n", [["Name", "a\fb"], ["X", "y"]], "", 0],
  ["\ufeffName: a\n", [["Name", "a"]], "", 0],
  ["", [], "", 0],
  ["\nbody only", [], "body only", 0],
];

test("parseEmailHeaders reads header blocks like the email module's compat32 parser", () => {
  for (const [text, fields, body, defects] of cases) {
    const parsed = parseEmailHeaders(text);
    assert.deepEqual(parsed.fields.map((field) => [field.name, field.value]), fields, JSON.stringify(text));
    assert.equal(parsed.body, body, JSON.stringify(text));
    assert.equal(parsed.defects.length, defects, `${JSON.stringify(text)}: ${parsed.defects.join("; ")}`);
  }
});

test("parseEmailHeaders reads UTF-8 bytes and reports invalid ones", () => {
  const good = parseEmailHeaders(new TextEncoder().encode("Author: Zoë\n"));
  assert.deepEqual(good.fields, [{ name: "Author", value: "Zoë" }]);
  assert.deepEqual(good.defects, []);
  const bad = parseEmailHeaders(new Uint8Array([0x41, 0x3a, 0x20, 0xff, 0x0a]));
  assert.deepEqual(bad.fields, [{ name: "A", value: "\ufffd" }]);
  assert.equal(bad.defects.length, 1);
});

test("headerValue and headerValues look fields up case-insensitively, in order", () => {
  const wheel = parseEmailHeaders("Wheel-Version: 1.0\nGenerator: bdist_wheel\nRoot-Is-Purelib: false\nTag: cp314-cp314-pyemscripten_2026_0_wasm32\nTAG: cp314-cp314-pyodide_2026_0_wasm32\n");
  assert.equal(headerValue(wheel, "wheel-version"), "1.0");
  assert.deepEqual(headerValues(wheel, "Tag"), ["cp314-cp314-pyemscripten_2026_0_wasm32", "cp314-cp314-pyodide_2026_0_wasm32"]);
  assert.equal(headerValue(wheel, "Build"), undefined);
});
