import { strict as assert } from "node:assert";
import { test } from "node:test";
import { compatibleTags, formatTag, parseTag, platformTagsForAbi, pyodideAbis, tryParseTag } from "../../src/tags/index.js";
import { runHostPython } from "../support/host-python.js";
import { assertHostPackaging } from "./host-packaging.js";

const pythons: [number, number][] = [[3, 11], [3, 12], [3, 13], [3, 14], [3, 15]];

test("compatibleTags equals packaging's cpython_tags + compatible_tags on every emscripten platform list", () => {
  assertHostPackaging();
  const cases = pythons.flatMap((python) => pyodideAbis.map((abi) => ({ python, platforms: platformTagsForAbi(abi) })));
  const expected = runHostPython<string[][]>(
    `import json, sys
from packaging.tags import cpython_tags, compatible_tags
out = []
for case in json.load(sys.stdin):
    version = tuple(case["python"])
    interpreter = "cp%d%d" % version
    tags = list(cpython_tags(version, [interpreter], case["platforms"])) + list(compatible_tags(version, interpreter, case["platforms"]))
    out.append([str(tag) for tag in tags])
print(json.dumps(out))`,
    cases,
  );
  assert.equal(expected.length, cases.length);
  cases.forEach((options, index) => {
    assert.deepEqual(compatibleTags(options).map(formatTag), expected[index], JSON.stringify(options));
  });
});

function mutatedTags(): string[] {
  const parts = ["py3", "py2", "cp314", "CP313", "pp310", "3py", "py_3", "é1", "", "none", "abi3", "cp314t", "any",
    "pyemscripten_2026_0_wasm32", "pyodide_2025_0_wasm32", "emscripten_5_0_3_wasm32", "manylinux_2_17_x86_64", "win-amd64"];
  const texts = new Set<string>();
  let seed = 7;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const component = () => Array.from({ length: 1 + random(3) }, () => parts[random(parts.length)]).join(".");
  for (let index = 0; index < 3000; index++) {
    const count = random(10) === 0 ? 2 + random(3) : 3;
    texts.add(Array.from({ length: count }, component).join("-"));
  }
  return [...texts];
}

test("parseTag agrees with packaging.tags.parse_tag on generated and mutated tags", () => {
  assertHostPackaging();
  const texts = mutatedTags();
  const expected = runHostPython<(string[] | null)[]>(
    `import json, sys
from packaging.tags import parse_tag, InvalidTag
out = []
for text in json.load(sys.stdin):
    try:
        out.append(sorted(str(tag) for tag in parse_tag(text)))
    except InvalidTag:
        out.append(None)
print(json.dumps(out))`,
    texts,
  );
  let valid = 0;
  texts.forEach((text, index) => {
    const ours = tryParseTag(text);
    assert.deepEqual(ours === undefined ? null : ours.map(formatTag).sort(), expected[index], text);
    if (ours) valid++;
  });
  assert.ok(valid > 500 && valid < texts.length - 500, `a mix of valid and invalid tags (${valid}/${texts.length})`);
  assert.equal(parseTag("py3-none-any").length, 1);
});
