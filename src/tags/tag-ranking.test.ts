import { strict as assert } from "node:assert";
import { test } from "node:test";
import { compatibleTagsForAbi } from "./compatible-tags.js";
import { abiForVersion } from "./pyodide-abi.js";
import { parseTag } from "./tag.js";
import { tagRanking, wheelTagRank } from "./tag-ranking.js";

const ranking = tagRanking(compatibleTagsForAbi(abiForVersion("2026_0")!));

test("wheelTagRank prefers specific wheels and rejects incompatible ones", () => {
  const ranked = [
    "cp314-cp314-pyemscripten_2026_0_wasm32",
    "cp314-cp314-pyodide_2026_0_wasm32",
    "cp314-cp314-emscripten_5_0_3_wasm32",
    "cp312-abi3-pyemscripten_2026_0_wasm32",
    "py3-none-pyemscripten_2026_0_wasm32",
    "cp314-none-any",
    "py314-none-any",
    "py2.py3-none-any",
    "py30-none-any",
  ].map((text) => wheelTagRank(parseTag(text), ranking));
  for (let index = 1; index < ranked.length; index++) {
    assert.ok(ranked[index - 1]! < ranked[index]!, `rank ${index - 1} < rank ${index}: ${ranked.join(",")}`);
  }
  assert.equal(ranked[0], 0);
  for (const incompatible of [
    "cp313-cp313-pyemscripten_2025_0_wasm32",
    "cp314-cp314-manylinux_2_17_x86_64",
    "py2-none-any",
    "cp315-abi3-pyemscripten_2026_0_wasm32",
  ]) {
    assert.equal(wheelTagRank(parseTag(incompatible), ranking), undefined, incompatible);
  }
});

test("a compressed tag set takes the rank of its best member", () => {
  const both = wheelTagRank(parseTag("cp314-cp314-emscripten_5_0_3_wasm32.pyemscripten_2026_0_wasm32"), ranking);
  assert.equal(both, 0);
});
