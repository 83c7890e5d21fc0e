// --load ground truth on real wheels: pip decides installability, the bundled Pyodide imports
// the extension modules; the static verdict must agree with both.
import { strict as assert } from "node:assert";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../../src/cli/main.js";
import { downloadWasmWheel } from "../support/wasm-wheels.js";

test("--load agrees with the static verdict for a loadable wheel and for one pip refuses", async () => {
  const wheels = [downloadWasmWheel({ project: "luau-wasm", version: "0.1a0" }), downloadWasmWheel({ project: "pycdfpp", version: "0.9.3", platform: "pyemscripten_2025_0_wasm32", pythonVersion: "3.13" })];
  let stdout = "";
  const env = { ...process.env, KILN_CACHE_DIR: mkdtempSync(join(tmpdir(), "kiln-load-")) };
  const code = await runCli(["audit", "--load", "--format", "json", ...wheels], { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => true }, env, cwd: process.cwd() });
  assert.equal(code, 1);
  const [luau, cdfpp] = JSON.parse(stdout).reports;
  assert.deepEqual([luau.verdict.loads, luau.load.installed, luau.load.loads], [true, true, true]);
  assert.deepEqual(luau.load.extensions.map((e: { module: string; ok: boolean }) => [e.module, e.ok]), [["luau_wasm._luau", true]]);
  assert.deepEqual([cdfpp.verdict.installs, cdfpp.load.installed, cdfpp.verdict.links, cdfpp.load.linked], [false, false, false, false]);
});
