// Real projects' own test suites (their sdists from the public index) under `kiln test` and
// natively with pytest, side by side: counts, every difference and its cause, and wall time.
// Run: npm run build && node --import tsx bench/test/project-suites.ts [NAME...]
// Prints the Markdown recorded in docs/project-suites.md.
import { rmSync } from "node:fs";
import { dirname } from "node:path";
import { compareSuites, nativePython, realProjects, runKilnTest, runNative, unpackSdist } from "../../test/project/real-projects.js";
import { spawnSync } from "node:child_process";

const only = process.argv.slice(2);
const nativeVersion = spawnSync(nativePython, ["--version"], { encoding: "utf8" }).stdout.trim();
const rows: string[] = [];
const notes: string[] = [];
for (const project of realProjects.filter((p) => only.length === 0 || only.includes(p.name))) {
  const nativeDir = unpackSdist(project);
  const wasmDir = unpackSdist(project);
  try {
    const native = runNative(project, nativeDir);
    const wasm = runKilnTest(wasmDir);
    const counts = (r: typeof native.report) => `${r.passed} / ${r.failed} / ${r.skipped} / ${r.errors}`;
    const differences = compareSuites(native.report, wasm.report);
    rows.push(`| ${project.name} ${project.version} | ${native.report.cases.length} | ${counts(native.report)} | ${counts(wasm.report)} | ${native.seconds.toFixed(1)} s | ${wasm.seconds.toFixed(1)} s | ${differences.length} |`);
    for (const difference of differences) {
      notes.push(`| ${project.name} | \`${difference.test}\` | ${difference.native} | ${difference.wasm} | ${difference.reason ?? "**unexplained**"} |`);
    }
    console.error(`${project.name}: native ${counts(native.report)}, kiln test ${counts(wasm.report)}, ${differences.length} differences`);
  } finally {
    rmSync(dirname(nativeDir), { recursive: true, force: true });
    rmSync(dirname(wasmDir), { recursive: true, force: true });
  }
}
console.log(`Native: ${nativeVersion} in a venv, \`python -m pytest\`. WASM: \`kiln test\` (bundled Pyodide, CPython 3.14), whole command (build, fresh venv, install, run).\n`);
console.log("| project | tests | native passed / failed / skipped / errors | kiln test passed / failed / skipped / errors | native time | kiln test time | differences |");
console.log("| --- | ---: | --- | --- | ---: | ---: | ---: |");
for (const row of rows) console.log(row);
if (notes.length) {
  console.log("\n| project | test | native | WASM | cause |");
  console.log("| --- | --- | --- | --- | --- |");
  for (const note of notes) console.log(note.replaceAll("\n", " "));
}
