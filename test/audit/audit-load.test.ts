// --load ground truth on real wheels through kiln's own path (a temporary kiln venv on the
// runtime, kiln's installer, the runtime's own tags), with no host Python on PATH; the static
// verdict must agree with it. The older runtime comes from the npm registry into the shared test
// cache (audit-cli.test.ts checks the fetch into an empty cache).
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { testCacheDir } from "../runtime/support.js";
import { downloadWasmWheel } from "../support/wasm-wheels.js";

const kilnBin = fileURLToPath(new URL("../../bin/kiln.js", import.meta.url));
const luau = () => downloadWasmWheel({ project: "luau-wasm", version: "0.1a0" });
const cdfpp313 = () => downloadWasmWheel({ project: "pycdfpp", version: "0.9.3", platform: "pyemscripten_2025_0_wasm32", pythonVersion: "3.13" });

interface Report {
  runtime: { version: string };
  verdict: { installs: boolean; loads: boolean; links: boolean };
  load: { installed: boolean; loads: boolean; linked: boolean; detail?: string; extensions: { module: string; ok: boolean; missingDependency?: string }[] };
}

/** Runs the built kiln with only node on PATH (no python3 anywhere), in a cache given by the caller. */
function auditLoad(args: string[], cacheDir: string): { code: number | null; reports: Report[]; stderr: string } {
  const bin = mkdtempSync(join(tmpdir(), "kiln-bin-"));
  symlinkSync(process.execPath, join(bin, "node"));
  // The rest of the environment stays: the network may need its proxy and CA settings.
  const env: Record<string, string | undefined> = { ...process.env, PATH: bin, KILN_CACHE_DIR: cacheDir };
  delete env.KILN_HOST_PYTHON;
  const result = spawnSync(process.execPath, [kilnBin, "audit", "--load", "--format", "json", ...args], { env, encoding: "utf8", maxBuffer: 1 << 28, timeout: 600_000 });
  return { code: result.status, reports: result.stdout ? (JSON.parse(result.stdout).reports as Report[]) : [], stderr: result.stderr };
}

function agreement(report: Report): boolean[] {
  return [report.verdict.installs === report.load.installed, report.verdict.loads === report.load.loads, report.verdict.links === report.load.linked];
}

test("--load on the bundled runtime: one wheel loads, one is refused by its tags, and the static verdict agrees", () => {
  const { code, reports, stderr } = auditLoad([luau(), cdfpp313()], testCacheDir);
  assert.equal(code, 1, stderr);
  const [ok, refused] = reports as [Report, Report];
  assert.deepEqual([ok.load.installed, ok.load.loads, ok.load.linked], [true, true, true]);
  assert.deepEqual(ok.load.extensions.map((e) => [e.module, e.ok]), [["luau_wasm._luau", true]]);
  assert.deepEqual([refused.load.installed, refused.load.linked], [false, false]);
  assert.match(refused.load.detail ?? "", /no tag of cp313-cp313-pyemscripten_2025_0_wasm32 is supported by Pyodide 314\.0\.\d+ \(Python 3\.14/);
  for (const report of reports) assert.deepEqual(agreement(report), [true, true, true]);
});

test("--load on pyodide@0.29.3: the other wheel loads, and the static verdict agrees", () => {
  const { reports, stderr } = auditLoad(["--runtime", "pyodide@0.29.3", luau(), cdfpp313()], testCacheDir);
  assert.equal(reports.length, 2, stderr);
  const [refused, ok] = reports as [Report, Report];
  assert.deepEqual(reports.map((r) => r.runtime.version), ["0.29.3", "0.29.3"]);
  assert.deepEqual([refused.verdict.installs, refused.load.installed, refused.load.linked], [false, false, false]);
  // pycdfpp's initialisation imports numpy, which --load does not install (no dependencies).
  assert.deepEqual([ok.verdict.loads, ok.load.installed, ok.load.loads], [true, true, true]);
  assert.deepEqual(ok.load.extensions.map((e) => [e.module, e.missingDependency]), [["pycdfpp._pycdfpp", "numpy"]]);
  for (const report of reports) assert.deepEqual(agreement(report), [true, true, true]);
});

test("a wheel whose RECORD hash is wrong is refused by the installer, yet its modules are still linked", () => {
  const files = unzipSync(readFileSync(luau()));
  const [init] = Object.keys(files).filter((name) => name.endsWith("/__init__.py"));
  files[init!] = strToU8(`${strFromU8(files[init!]!)}\n# altered after RECORD was written\n`);
  const tampered = join(mkdtempSync(join(tmpdir(), "kiln-tampered-")), luau().split("/").pop()!);
  writeFileSync(tampered, zipSync(files));
  const { reports, stderr } = auditLoad([tampered], testCacheDir);
  const [report] = reports as [Report];
  assert.ok(report, stderr);
  assert.deepEqual([report.verdict.installs, report.verdict.links], [false, true]);
  assert.deepEqual([report.load.installed, report.load.linked], [false, true]);
  assert.match(report.load.detail ?? "", /RECORD|hash/i);
});
