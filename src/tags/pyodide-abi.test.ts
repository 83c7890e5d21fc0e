import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import {
  abiForPlatformTag,
  abiForPyodideVersion,
  abiForVersion,
  emscriptenPlatformTag,
  parsePyodideAbi,
  pyodideAbis,
  tryParsePyodideAbi,
} from "./pyodide-abi.js";

// DESIGN.md's platform table, row by row.
const design: [platform: string, legacy: string | undefined, python: string, emscripten: string, pyodide: string[]][] = [
  ["emscripten_3_1_32_wasm32", undefined, "3.11", "3.1.32", ["0.23.4"]],
  ["pyemscripten_2024_0_wasm32", "pyodide_2024_0_wasm32", "3.12", "3.1.58", ["0.26.0", "0.27.7"]],
  ["pyemscripten_2025_0_wasm32", "pyodide_2025_0_wasm32", "3.13", "4.0.9", ["0.28.3", "0.29.4"]],
  ["pyemscripten_2026_0_wasm32", "pyodide_2026_0_wasm32", "3.14", "5.0.3", ["314.0.7", "314.0.0a1"]],
  ["pyemscripten_2026_5_wasm32", "pyodide_2026_5_wasm32", "3.15", "6.0.5", ["315.0.0"]],
];

test("the ABI table matches DESIGN.md and every lookup finds the same row", () => {
  assert.equal(pyodideAbis.length, design.length);
  for (const [platform, legacy, python, emscripten, pyodide] of design) {
    const abi = abiForPlatformTag(platform);
    assert.ok(abi, platform);
    assert.equal(abi.legacyPlatformTag, legacy);
    assert.equal(abi.python.join("."), python);
    assert.equal(abi.emscriptenVersion, emscripten);
    assert.equal(emscriptenPlatformTag(abi), `emscripten_${emscripten.replaceAll(".", "_")}_wasm32`);
    assert.equal(abiForPlatformTag(emscriptenPlatformTag(abi)), abi);
    if (legacy) assert.equal(abiForPlatformTag(legacy.toUpperCase()), abi);
    if (abi.abiVersion) {
      assert.equal(abiForVersion(abi.abiVersion), abi);
      assert.equal(parsePyodideAbi(abi.abiVersion), abi);
    }
    for (const version of pyodide) {
      assert.equal(abiForPyodideVersion(version), abi, version);
      assert.equal(parsePyodideAbi(version), abi, version);
    }
  }
});

test("unknown ABIs are refused with the known ones as a hint", () => {
  for (const text of ["2019_0", "0.25.1", "3140", "pyemscripten_2030_0_wasm32", "", "0.2"]) {
    assert.equal(tryParsePyodideAbi(text), undefined, text);
    assert.throws(() => parsePyodideAbi(text), (error) => isKilnError(error, "unknownAbi") && /2026_0/.test(error.hint ?? ""));
  }
  assert.equal(abiForPyodideVersion("3140.0"), undefined);
});
