import { strict as assert } from "node:assert";
import { test } from "node:test";
import type { RuntimeDescription } from "../runtime/index.js";
import { wheelInstallsOn } from "./wheel-installs-on.js";

// As describeRuntime reads it from Pyodide 314.0.7.
const description: RuntimeDescription = {
  pyodideVersion: "314.0.7", pythonVersion: "3.14.2", abiVersion: "2026_0",
  platformTags: ["pyemscripten_2026_0_wasm32", "pyodide_2026_0_wasm32", "emscripten_5_0_3_wasm32", "any"],
  markerEnvironment: {}, extSuffix: ".cpython-314-wasm32-emscripten.so", sysconfigPlatform: "emscripten-5.0.3-wasm32", cacheTag: "cpython-314",
};

const cases: [string, string | undefined, RegExp | undefined][] = [
  ["x-1.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl", undefined, undefined],
  ["x-1.0-cp314-cp314-pyodide_2026_0_wasm32.whl", undefined, undefined],
  ["x-1.0-cp314-cp314-emscripten_5_0_3_wasm32.whl", undefined, undefined],
  ["x-1.0-cp310-abi3-pyemscripten_2026_0_wasm32.whl", ">=3.10", undefined],
  ["x-1.0-py3-none-pyemscripten_2026_0_wasm32.whl", undefined, undefined],
  ["x-1.0-py3-none-any.whl", "", undefined],
  ["x-1.0-cp313-cp313-pyemscripten_2025_0_wasm32.whl", undefined, /no tag of cp313-cp313-pyemscripten_2025_0_wasm32 is supported by Pyodide 314\.0\.7/],
  ["x-1.0-cp313-abi3-pyemscripten_2025_0_wasm32.whl", undefined, /no tag/],
  ["x-1.0-cp315-abi3-pyemscripten_2026_0_wasm32.whl", undefined, /no tag/],
  ["x-1.0-cp314-cp314-linux_x86_64.whl", undefined, /no tag/],
  ["x-1.0-py3-none-any.whl", "<3.14", /Requires-Python "<3\.14" excludes Python 3\.14\.2/],
  ["x-1.0-py3-none-any.whl", ">=3.x", /not a valid specifier set/],
  ["x-1.0.whl", undefined, /not a valid wheel file name/],
];

test("wheelInstallsOn: the runtime's own tags and Requires-Python decide", () => {
  for (const [filename, requiresPython, refusal] of cases) {
    const decision = wheelInstallsOn({ filename, description, ...(requiresPython === undefined ? {} : { requiresPython }) });
    assert.equal(decision.ok, refusal === undefined, `${filename} ${requiresPython ?? ""}: ${decision.reasons.join("; ")}`);
    if (refusal) assert.match(decision.reasons.join("\n"), refusal, filename);
  }
});
