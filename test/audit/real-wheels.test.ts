// Real pyemscripten wheels from the public index, audited against the bundled Pyodide 314:
// wheels built for its ABI install and load with no errors; a wheel for the previous ABI does not
// install. Module imports are cross-checked with the JavaScript engine's own decoder.
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { auditTarget, openWheelTarget } from "../../src/audit/index.js";
import { downloadWasmWheel, wheelExtensionModules } from "../support/wasm-wheels.js";
import { bundledManifest } from "./support.js";

const current = [
  { project: "pydantic-core", version: "2.50.4" },
  { project: "luau-wasm", version: "0.1a0" },
  { project: "uharfbuzz", version: "0.57.0", abi: "abi3" },
];

test("real 2026_0 wheels install and load on Pyodide 314 with no errors", async () => {
  const manifest = await bundledManifest();
  for (const request of current) {
    const path = downloadWasmWheel(request);
    const report = await auditTarget(await openWheelTarget(path, readFileSync(path)), { manifest });
    const name = request.project;
    assert.deepEqual(report.findings.filter((f) => f.severity === "error"), [], name);
    assert.deepEqual(report.verdict, { installs: true, loads: true, links: true, reasons: [] }, name);
    assert.ok(report.modules.some((m) => m.role === "extension" && m.initFunction?.startsWith("PyInit_")), name);
    for (const [entry, bytes] of wheelExtensionModules(path)) {
      const module = report.modules.find((m) => m.path === entry)!;
      const engine = WebAssembly.Module.imports(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>));
      assert.equal(module.imports.total, engine.length, `${name} ${entry}`);
      assert.notEqual(module.features.exceptions, "javascript", `${name} ${entry}`);
    }
  }
});

test("a real 2025_0 wheel does not install on Pyodide 314, for the right reasons", async () => {
  const path = downloadWasmWheel({ project: "pycdfpp", version: "0.9.3", platform: "pyemscripten_2025_0_wasm32", pythonVersion: "3.13" });
  const report = await auditTarget(await openWheelTarget(path, readFileSync(path)), { manifest: await bundledManifest() });
  assert.equal(report.verdict.installs, false);
  const codes = new Set(report.findings.map((f) => f.code));
  assert.ok(codes.has("incompatibleWithRuntime"));
  assert.ok(codes.has("suffixRuntimePython"));
});
