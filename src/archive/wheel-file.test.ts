import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { runHostPython } from "../../test/support/host-python.js";
import { allRealWheels } from "../../test/support/real-wheels.js";
import { openZip } from "./open-zip.js";
import { bytesSource } from "./random-access-source.js";
import { parseWheelFile, type WheelFile } from "./wheel-file.js";

const parsed: [string, string, WheelFile][] = [
  [
    "a typical WHEEL",
    "Wheel-Version: 1.0\nGenerator: bdist_wheel (0.45.1)\nRoot-Is-Purelib: true\nTag: py3-none-any\n\n",
    { wheelVersion: [1, 0], generator: "bdist_wheel (0.45.1)", rootIsPurelib: true, tags: ["py3-none-any"] },
  ],
  [
    "several tags, a build, CRLF, other case",
    "wheel-version: 1.1\r\nROOT-IS-PURELIB: False\r\nTag: py2-none-any\r\nTag: py3-none-any\r\nBuild: 1\r\n",
    { wheelVersion: [1, 1], rootIsPurelib: false, tags: ["py2-none-any", "py3-none-any"], build: "1" },
  ],
  ["no Root-Is-Purelib means platlib", "Wheel-Version: 2.0\n", { wheelVersion: [2, 0], rootIsPurelib: false, tags: [] }],
  [
    "continuation lines and a body after the blank line",
    "Wheel-Version: 1.0\nGenerator: some\n  tool\n\nTag: ignored\n",
    { wheelVersion: [1, 0], generator: "some\n  tool", rootIsPurelib: false, tags: [] },
  ],
  [
    "a stray line ends the headers, as in Python's email parser",
    "Wheel-Version: 1.0\njunk\nTag: py3-none-any\n",
    { wheelVersion: [1, 0], rootIsPurelib: false, tags: [] },
  ],
];

for (const [label, text, expected] of parsed) {
  test(`parseWheelFile: ${label}`, () => assert.deepEqual(parseWheelFile(text), expected));
}

for (const [label, text, why] of [
  ["no Wheel-Version", "Generator: x\n", /no Wheel-Version/],
  ["a bad version", "Wheel-Version: one\n", /not major\.minor/],
] as const) {
  test(`parseWheelFile refuses ${label}`, () => {
    assert.throws(() => parseWheelFile(text), (error) => isKilnError(error, "invalidWheelFile") && why.test(error.message));
  });
}

for (const path of allRealWheels()) {
  test(`parseWheelFile reads the WHEEL of ${basename(path)}`, async () => {
    const archive = await openZip(bytesSource(new Uint8Array(readFileSync(path))));
    const entry = archive.entries.find((e) => /^[^/]+\.dist-info\/WHEEL$/.test(e.name))!;
    const wheel = parseWheelFile(new TextDecoder().decode(await archive.readEntry(entry)));
    assert.equal(wheel.wheelVersion[0], 1);
    const tag = basename(path).replace(/\.whl$/, "").split("-").slice(-3).join("-");
    assert.ok(wheel.tags.includes(tag), `${wheel.tags} includes ${tag}`);
    assert.equal(wheel.rootIsPurelib, tag.endsWith("-none-any"));
  });
}

test("parseWheelFile reads fields as Python's email parser does", () => {
  const texts = parsed.map(([, text]) => text);
  const python = runHostPython<{ version: string; generator: string | null; tags: string[]; build: string | null }[]>(
    String.raw`
import json, sys
from email.parser import Parser
out = []
for text in json.load(sys.stdin):
    m = Parser().parsestr(text)
    out.append({"version": m["Wheel-Version"].strip(), "generator": m["Generator"], "tags": m.get_all("Tag") or [], "build": m["Build"]})
print(json.dumps(out))
`,
    texts,
  );
  assert.deepEqual(
    texts.map((text) => parseWheelFile(text)).map((w) => ({ version: w.wheelVersion.join("."), generator: w.generator ?? null, tags: w.tags, build: w.build ?? null })),
    python,
  );
});
