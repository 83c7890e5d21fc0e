import { strict as assert } from "node:assert";
import { test } from "node:test";
import { compatibleTags, compatibleTagsForAbi, platformTagsForAbi, platformTagsForRuntime } from "./compatible-tags.js";
import { abiForVersion, parsePyodideAbi } from "./pyodide-abi.js";
import { formatTag } from "./tag.js";

test("platformTagsForAbi lists the PEP 783 tag, its legacy alias and the Emscripten tag, best first", () => {
  assert.deepEqual(platformTagsForAbi(abiForVersion("2026_0")!), [
    "pyemscripten_2026_0_wasm32",
    "pyodide_2026_0_wasm32",
    "emscripten_5_0_3_wasm32",
  ]);
  assert.deepEqual(platformTagsForAbi(parsePyodideAbi("0.23.4")), ["emscripten_3_1_32_wasm32"]);
});

test("platformTagsForRuntime derives the same list from sysconfig values", () => {
  const abi = abiForVersion("2026_0")!;
  assert.deepEqual(
    platformTagsForRuntime({ sysconfigPlatform: "emscripten-5.0.3-wasm32", pyemscriptenPlatformVersion: "2026_0" }),
    platformTagsForAbi(abi),
  );
  assert.deepEqual(platformTagsForRuntime({ sysconfigPlatform: "emscripten-3.1.32-wasm32" }), ["emscripten_3_1_32_wasm32"]);
});

test("compatibleTags orders tags like packaging.tags for CPython", () => {
  const tags = compatibleTags({ python: [3, 12], platforms: ["p1", "p2"] }).map(formatTag);
  assert.deepEqual(tags.slice(0, 8), [
    "cp312-cp312-p1", "cp312-cp312-p2", "cp312-abi3-p1", "cp312-abi3-p2",
    "cp312-none-p1", "cp312-none-p2", "cp311-abi3-p1", "cp311-abi3-p2",
  ]);
  assert.equal(tags.indexOf("cp32-abi3-p2"), 6 + 2 * 10 - 1);
  assert.equal(tags.includes("cp31-abi3-p1"), false);
  assert.deepEqual(tags.slice(26, 32), ["py312-none-p1", "py312-none-p2", "py3-none-p1", "py3-none-p2", "py311-none-p1", "py311-none-p2"]);
  assert.deepEqual(tags.slice(-17, -13), ["py30-none-p1", "py30-none-p2", "cp312-none-any", "py312-none-any"]);
  assert.deepEqual(tags.slice(-13, -10), ["py3-none-any", "py311-none-any", "py310-none-any"]);
  assert.equal(tags.at(-1), "py30-none-any");
  assert.equal(new Set(tags).size, tags.length);
});

test("compatibleTagsForAbi starts with the interpreter's own ABI on the PEP 783 platform", () => {
  const tags = compatibleTagsForAbi(abiForVersion("2025_0")!).map(formatTag);
  assert.equal(tags[0], "cp313-cp313-pyemscripten_2025_0_wasm32");
  assert.equal(tags[1], "cp313-cp313-pyodide_2025_0_wasm32");
  assert.equal(tags[2], "cp313-cp313-emscripten_4_0_9_wasm32");
  assert.equal(tags.at(-1), "py30-none-any");
  assert.equal(tags.includes("cp314-cp314-pyemscripten_2025_0_wasm32"), false);
});

test("an explicit ABI list replaces the default and drops abi3/none duplicates", () => {
  const tags = compatibleTags({ python: [3, 14], platforms: ["x"], abis: ["cp314d", "abi3", "none"] }).map(formatTag);
  assert.deepEqual(tags.slice(0, 3), ["cp314-cp314d-x", "cp314-abi3-x", "cp314-none-x"]);
});
