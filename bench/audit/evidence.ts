// Evidence for `kiln audit`: every real wasm wheel in bench/audit/wheels.json, audited with
// --load against each runtime given (the bundled Pyodide, then e.g. pyodide@0.29.3, fetched from
// npm on demand), as a Markdown table of the static verdict beside the ground truth.
// Usage: node --import tsx bench/audit/evidence.ts [pyodide@X|DIR...]   (needs `npm run build`)
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { downloadWasmWheel, type WasmWheelRequest } from "../../test/support/wasm-wheels.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const requests: WasmWheelRequest[] = JSON.parse(readFileSync(new URL("wheels.json", import.meta.url), "utf8"));
const wheels = requests.map(downloadWasmWheel);
const runtimes = ["", ...process.argv.slice(2)];
const yes = (value: boolean) => (value ? "yes" : "no");
console.log("| runtime | wheel | static installs / loads / links | kiln installs | modules in the runtime (extension imports, ctypes loads) | agree | error findings |");
console.log("| --- | --- | --- | --- | --- | --- | --- |");
let disagreements = 0;
for (const runtime of runtimes) {
  const args = ["bin/kiln.js", "audit", "--load", "--format", "json", ...(runtime ? ["--runtime", runtime] : []), ...wheels];
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", maxBuffer: 1 << 30 });
  if (!result.stdout) throw new Error(`kiln audit --load ${runtime} failed: ${result.stderr.slice(-2000)}`);
  const json = JSON.parse(result.stdout);
  for (const report of json.reports) {
    const v = report.verdict;
    const load = report.load;
    const agree = v.installs === load.installed && v.loads === load.loads && v.links === load.linked;
    if (!agree) disagreements++;
    const errors = [...new Set(report.findings.filter((f: { severity: string }) => f.severity === "error").map((f: { code: string }) => f.code))].join(", ");
    // One cell per wheel: how many modules imported (or loaded with ctypes), stopped only at a
    // missing pure-Python dependency, or failed with each kind of error.
    const outcomes = new Map<string, number>();
    for (const e of load.extensions as { ok: boolean; error?: string; missingDependency?: string }[]) {
      const key = e.ok ? "ok" : e.missingDependency ? `loaded (needs ${e.missingDependency})` : (e.error ?? "failed").split(":")[0]!;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
    const imported = [...outcomes].map(([key, n]) => `${n} ${key}`).join(", ");
    console.log(`| ${report.runtime.version} | ${report.wheel.filename.replace(/\.whl$/, "")} | ${yes(v.installs)} / ${yes(v.loads)} / ${yes(v.links)} | ${yes(load.installed)} | ${imported || "(none)"} | ${agree ? "yes" : "**NO**"} | ${errors || "none"} |`);
  }
}
console.log(`\n${disagreements} disagreement(s)`);
