import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { parseRuntimeMatrix } from "./runtime-matrix.js";

const matrices: Array<[string[], object[]]> = [
  [[], [{ kind: "bundled" }]],
  [["bundled"], [{ kind: "bundled" }]],
  [["pyodide@314.0.7,pyodide@0.29.3"], [{ kind: "npm", version: "314.0.7" }, { kind: "npm", version: "0.29.3" }]],
  [["pyodide@314.0.7", " 314.0.7 ", "bundled"], [{ kind: "npm", version: "314.0.7" }, { kind: "bundled" }]],
];

for (const [values, expected] of matrices) {
  test(`runtime matrix ${JSON.stringify(values)}`, () => {
    assert.deepEqual(parseRuntimeMatrix(values, "--runtime"), expected);
  });
}

for (const bad of [["pyodide@"], ["pyodide@1.0,,bundled"], ["cpython@3.12"]]) {
  test(`refuses runtime matrix ${JSON.stringify(bad)}`, () => {
    assert.throws(
      () => parseRuntimeMatrix(bad, "--runtime"),
      (error: unknown) => isKilnError(error) && error.message.startsWith("--runtime") && error.hint !== undefined,
    );
  });
}
