// Evidence for `kiln audit`: every real wasm wheel in bench/audit/wheels.json, audited with
// --load against each runtime given (the bundled Pyodide and unpacked older packages), as a
// Markdown table of the static verdict beside the ground truth.
// Usage: node --import tsx bench/audit/evidence.ts [RUNTIME_DIR...]   (needs `npm run build`)
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { downloadWasmWheel, type WasmWheelRequest } from "../../test/support/wasm-wheels.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const requests: WasmWheelRequest[] = JSON.parse(readFileSync(new URL("wheels.json", import.meta.url), "utf8"));
const wheels = requests.map(downloadWasmWheel);
const runtimes = ["", ...process.argv.slice(2)];
const yes = (value: boolean) => (value ? "yes" : "no");
console.log("| runtime | wheel | static: installs / loads / links | pip installs | extension modules import | agree | findings (errors) |");
console.log("| --- | --- | --- | --- | --- | --- | --- |");
let disagreements = 0;
for (const runtime of runtimes) {
  const args = ["bin/kiln.js", "audit", "--load", "--format", "json", ...(runtime ? ["--runtime", runtime] : []), ...wheels];
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", maxBuffer: 1 << 30 });
  const json = JSON.parse(result.stdout);
  for (const report of json.reports) {
    const v = report.verdict;
    const load = report.load;
    const agree = v.installs === load.installed && v.loads === load.loads && v.links === load.linked;
    if (!agree) disagreements++;
    const errors = [...new Set(report.findings.filter((f: { severity: string }) => f.severity === "error").map((f: { code: string }) => f.code))].join(", ");
    const imported = load.extensions
      .map((e: { module: string; ok: boolean; error?: string; missingDependency?: string }) => `${e.module}: ${e.ok ? "ok" : e.missingDependency ? `loaded (needs ${e.missingDependency})` : (e.error ?? "failed").split(":")[0]}`)
      .join("; ");
    console.log(`| ${report.runtime.name} ${report.runtime.version} | ${report.wheel.filename} | ${yes(v.installs)} / ${yes(v.loads)} / ${yes(v.links)} | ${yes(load.installed)} | ${imported || "(none)"} | ${agree ? "yes" : "**NO**"} | ${errors || "none"} |`);
  }
}
console.log(`\n${disagreements} disagreement(s)`);
