// kiln audit vs auditwheel-emscripten (show + imports + exports) on the real wheels of
// wheels.json, same run. Two levels: the command line as a user runs it (`kiln audit X.whl`
// against the peer's three commands for the same wheel, timed by hyperfine: median wall time and
// mean CPU time, user + system, which a loaded machine disturbs less), and the libraries in a warm
// process (median wall and CPU time per wheel).
// Usage: npm run build && node --import tsx bench/audit/bench-audit.ts [RUNS]
//   with auditwheel-emscripten installed in .cache/bench-venv (see docs/benchmarks.md).
// With KILN_BENCH_BASELINE=DIR (another built kiln tree, e.g. `git archive OLD | tar -x -C DIR`,
// node_modules linked, `npm run build`), that kiln is timed in the same hyperfine runs and warm
// loops, a second table compares the two kilns (before/after a change, same run), and their JSON
// reports on all wheels are compared byte for byte (the run exits 1 if they differ).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { auditTarget, openWheelTarget } from "../../src/audit/index.js";
import { nodeSha256Hex } from "../../src/cli/commands/audit.js";
import { nodeZipCodecs } from "../../src/platform/node-zip-codecs.js";
import { bundledManifest } from "../../test/audit/support.js";
import { downloadWasmWheel, type WasmWheelRequest } from "../../test/support/wasm-wheels.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const venv = `${root}.cache/bench-venv/bin`;
const runs = Number(process.argv[2] ?? 5);
// auditwheel-emscripten unpacks wheels by running the `wheel` command from its own venv.
const peerEnv = { ...process.env, PATH: `${venv}:${process.env.PATH ?? ""}` };
const wheels = (JSON.parse(readFileSync(new URL("wheels.json", import.meta.url), "utf8")) as WasmWheelRequest[]).map(downloadWasmWheel);
const scratch = mkdtempSync(join(tmpdir(), "kiln-bench-audit-"));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

interface Timing {
  /** Median wall time, ms. */
  wall: number;
  /** Mean CPU time (user + system) of the process tree, ms. */
  cpu: number;
}

const quote = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;

/** Times commands with hyperfine (each `--runs` times, one after the other); exit codes 0 and 1 are both results. */
function hyperfine(commands: string[]): Timing[] {
  const exported = join(scratch, "hyperfine.json");
  const result = spawnSync("hyperfine", ["-N", "-i", "--warmup", "1", "--runs", String(runs), "--export-json", exported, ...commands], {
    cwd: root, encoding: "utf8", env: peerEnv, maxBuffer: 1 << 26,
  });
  if (result.status !== 0) throw new Error(`hyperfine failed: ${result.stderr.slice(-800)}`);
  const parsed = JSON.parse(readFileSync(exported, "utf8")) as { results: { median: number; user: number; system: number; exit_codes: number[] }[] };
  return parsed.results.map((r, index) => {
    if (r.exit_codes.some((code) => code !== 0 && code !== 1)) throw new Error(`${commands[index]} exited with ${r.exit_codes.join(",")}`);
    return { wall: r.median * 1000, cpu: (r.user + r.system) * 1000 };
  });
}

// Wall and CPU time per wheel; CPU includes the `wheel unpack` child processes the peer runs.
const peerLibrary = `
import json, resource, sys, time, statistics
from auditwheel_emscripten import show, get_imports, get_exports
def cpu():
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime
runs, paths = int(sys.argv[1]), sys.argv[2:]
out = {}
for path in paths:
    walls, cpus = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), cpu()
        show(path); get_imports(path); get_exports(path)
        walls.append((time.perf_counter() - start) * 1000)
        cpus.append((cpu() - start_cpu) * 1000)
    out[path] = {"wall": statistics.median(walls), "cpu": statistics.median(cpus)}
print(json.dumps(out))
`;

/** The entry points of one kiln build's library. */
interface Library {
  audit: Pick<typeof import("../../src/audit/index.js"), "auditTarget" | "openWheelTarget">;
  sha256Hex: (bytes: Uint8Array) => string;
  codecs: typeof nodeZipCodecs;
}

/**
 * Median wall and CPU time of auditing one wheel in this warm process with each library (one
 * untimed warm-up each). The libraries take turns run by run, so a change in the machine's load
 * falls on both alike.
 */
async function timeLibraries(libraries: Library[], wheel: string, bytes: Uint8Array): Promise<Timing[]> {
  const once = async ({ audit, sha256Hex, codecs }: Library) => audit.auditTarget(await audit.openWheelTarget(wheel, bytes, { codecs }), { manifest, sha256Hex });
  for (const library of libraries) await once(library);
  const walls: number[][] = libraries.map(() => []);
  const cpus: number[][] = libraries.map(() => []);
  for (let run = 0; run < runs; run++) {
    for (const [index, library] of libraries.entries()) {
      const start = performance.now();
      const startCpu = process.cpuUsage();
      await once(library);
      walls[index]!.push(performance.now() - start);
      const used = process.cpuUsage(startCpu);
      cpus[index]!.push((used.user + used.system) / 1000);
    }
  }
  return libraries.map((_, index) => ({ wall: median(walls[index]!), cpu: median(cpus[index]!) }));
}

const shortName = (path: string) => path.split("/").pop()!.replace(/\.whl$/, "");
const ratio = (peer: number, kiln: number) => `${(peer / kiln).toFixed(1)}×`;
const kilnCommand = (paths: string[]) => `${process.execPath} bin/kiln.js audit ${paths.map(quote).join(" ")}`;
const peerCommand = (path: string) => `sh -c ${quote(["show", "imports", "exports"].map((verb) => `${venv}/pyodide auditwheel ${verb} ${quote(path)} >/dev/null`).join("; "))}`;

const baselineDir = process.env.KILN_BENCH_BASELINE;
/** The baseline kiln's library, loaded from its build: the same entry points the CLI uses. */
const baseline = baselineDir
  ? {
      audit: (await import(`${baselineDir}/dist/audit/index.js`)) as typeof import("../../src/audit/index.js"),
      sha256Hex: ((await import(`${baselineDir}/dist/cli/commands/audit.js`)) as typeof import("../../src/cli/commands/audit.js")).nodeSha256Hex,
      codecs: ((await import(`${baselineDir}/dist/platform/node-zip-codecs.js`)) as typeof import("../../src/platform/node-zip-codecs.js")).nodeZipCodecs,
    }
  : undefined;
const baselineCommand = (paths: string[]) => `${process.execPath} ${baselineDir}/bin/kiln.js audit ${paths.map(quote).join(" ")}`;
const baselineRows: string[] = [];
const baselineTotals = { cli: 0, kilnCli: 0, lib: 0, kilnLib: 0 };

const manifest = await bundledManifest();
spawnSync(process.execPath, ["bin/kiln.js", "audit", wheels[0]!], { cwd: root }); // fill the manifest cache

/** Both kilns' JSON reports on every wheel (one invocation each), compared byte for byte: a speed-up must not change a report. */
function compareReports(): string {
  const report = (bin: string) => spawnSync(process.execPath, [bin, "audit", "--format", "json", ...wheels], { cwd: root, encoding: "utf8", maxBuffer: 1 << 30 }).stdout;
  const [before, after] = [report(`${baselineDir}/bin/kiln.js`), report("bin/kiln.js")];
  if (!before || !after) throw new Error("kiln audit --format json printed nothing");
  if (before === after) return `JSON reports of all ${wheels.length} wheels: byte-identical (${after.length} bytes)`;
  process.exitCode = 1;
  let at = 0;
  while (before[at] === after[at]) at++;
  return `JSON reports of the ${wheels.length} wheels DIFFER from character ${at}: before ${JSON.stringify(before.slice(at, at + 80))}, after ${JSON.stringify(after.slice(at, at + 80))}`;
}
const sameReports = baselineDir ? compareReports() : undefined;
const peerWarm = JSON.parse(spawnSync(`${venv}/python`, ["-c", peerLibrary, String(runs), ...wheels], { encoding: "utf8", maxBuffer: 1 << 30, env: peerEnv }).stdout) as Record<string, Timing>;

console.log(`runs per figure: ${runs}; CLI: median wall ms and mean CPU ms (user + system) from hyperfine; library (warm): median wall ms and median CPU ms\n`);
console.log("| wheel | size MB | kiln audit X.whl: wall | peer show+imports+exports: wall | ratio | kiln: CPU | peer: CPU | ratio | kiln library: wall | peer library: wall | ratio | kiln library: CPU | peer library: CPU | ratio |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
const totals = { kilnWall: 0, peerWall: 0, kilnCpu: 0, peerCpu: 0, kilnLib: 0, peerLib: 0, kilnLibCpu: 0, peerLibCpu: 0 };
for (const wheel of wheels) {
  const [kiln, peer, before] = hyperfine([kilnCommand([wheel]), peerCommand(wheel), ...(baseline ? [baselineCommand([wheel])] : [])]) as [Timing, Timing, Timing?];
  const bytes = readFileSync(wheel);
  // The library as the CLI runs it on Node: Node's zlib for CRC-32 and inflate.
  const current = { audit: { auditTarget, openWheelTarget }, sha256Hex: nodeSha256Hex, codecs: nodeZipCodecs };
  const [kilnLib, beforeLib] = (await timeLibraries(baseline ? [current, baseline] : [current], wheel, bytes)) as [Timing, Timing?];
  if (baseline && before && beforeLib) {
    baselineTotals.cli += before.cpu; baselineTotals.kilnCli += kiln.cpu; baselineTotals.lib += beforeLib.cpu; baselineTotals.kilnLib += kilnLib.cpu;
    baselineRows.push(`| ${shortName(wheel)} | ${before.cpu.toFixed(0)} | ${kiln.cpu.toFixed(0)} | ${ratio(before.cpu, kiln.cpu)} | ${beforeLib.cpu.toFixed(1)} | ${kilnLib.cpu.toFixed(1)} | ${ratio(beforeLib.cpu, kilnLib.cpu)} |`);
  }
  const peerLib = peerWarm[wheel]!;
  totals.kilnWall += kiln.wall; totals.peerWall += peer.wall; totals.kilnCpu += kiln.cpu; totals.peerCpu += peer.cpu;
  totals.kilnLib += kilnLib.wall; totals.peerLib += peerLib.wall; totals.kilnLibCpu += kilnLib.cpu; totals.peerLibCpu += peerLib.cpu;
  console.log(`| ${shortName(wheel)} | ${(bytes.length / 1e6).toFixed(1)} | ${kiln.wall.toFixed(0)} | ${peer.wall.toFixed(0)} | ${ratio(peer.wall, kiln.wall)} | ${kiln.cpu.toFixed(0)} | ${peer.cpu.toFixed(0)} | ${ratio(peer.cpu, kiln.cpu)} | ${kilnLib.wall.toFixed(0)} | ${peerLib.wall.toFixed(0)} | ${ratio(peerLib.wall, kilnLib.wall)} | ${kilnLib.cpu.toFixed(0)} | ${peerLib.cpu.toFixed(0)} | ${ratio(peerLib.cpu, kilnLib.cpu)} |`);
}
const [all, allBefore] = hyperfine([kilnCommand(wheels), ...(baseline ? [baselineCommand(wheels)] : [])]) as [Timing, Timing?];
console.log(`| **all ${wheels.length} wheels, one kiln invocation** vs the peer's ${wheels.length * 3} | | ${all.wall.toFixed(0)} | ${totals.peerWall.toFixed(0)} | ${ratio(totals.peerWall, all.wall)} | ${all.cpu.toFixed(0)} | ${totals.peerCpu.toFixed(0)} | ${ratio(totals.peerCpu, all.cpu)} | | | | | | |`);
console.log(`| **total, one invocation per wheel** | | ${totals.kilnWall.toFixed(0)} | ${totals.peerWall.toFixed(0)} | ${ratio(totals.peerWall, totals.kilnWall)} | ${totals.kilnCpu.toFixed(0)} | ${totals.peerCpu.toFixed(0)} | ${ratio(totals.peerCpu, totals.kilnCpu)} | ${totals.kilnLib.toFixed(0)} | ${totals.peerLib.toFixed(0)} | ${ratio(totals.peerLib, totals.kilnLib)} | ${totals.kilnLibCpu.toFixed(0)} | ${totals.peerLibCpu.toFixed(0)} | ${ratio(totals.peerLibCpu, totals.kilnLibCpu)} |`);
if (baseline && allBefore) {
  console.log(`\n${sameReports}`);
  console.log(`\nBefore (${baselineDir}) and after, same run: CLI mean CPU ms, library median CPU ms\n`);
  console.log("| wheel | before: kiln audit X.whl CPU | after | speed-up | before: library CPU | after | speed-up |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const row of baselineRows) console.log(row);
  console.log(`| **all ${wheels.length} wheels, one invocation** | ${allBefore.cpu.toFixed(0)} | ${all.cpu.toFixed(0)} | ${ratio(allBefore.cpu, all.cpu)} | | | |`);
  console.log(`| **total** | ${baselineTotals.cli.toFixed(0)} | ${baselineTotals.kilnCli.toFixed(0)} | ${ratio(baselineTotals.cli, baselineTotals.kilnCli)} | ${baselineTotals.lib.toFixed(0)} | ${baselineTotals.kilnLib.toFixed(0)} | ${ratio(baselineTotals.lib, baselineTotals.kilnLib)} |`);
}
rmSync(scratch, { recursive: true, force: true });
