// kiln audit vs auditwheel-emscripten (show + imports + exports) on the real wheels of
// wheels.json, same run. Two levels: the command line as a user runs it (median of process wall
// times), and the libraries in a warm process (median per wheel).
// Usage: npm run build && node --import tsx bench/audit/bench-audit.ts [RUNS]
//   with auditwheel-emscripten installed in .cache/bench-venv (see docs/benchmarks.md).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { auditTarget, openWheelTarget } from "../../src/audit/index.js";
import { nodeZipCodecs } from "../../src/platform/node-zip-codecs.js";
import { bundledManifest } from "../../test/audit/support.js";
import { downloadWasmWheel, type WasmWheelRequest } from "../../test/support/wasm-wheels.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const venv = `${root}.cache/bench-venv/bin`;
const runs = Number(process.argv[2] ?? 5);
// auditwheel-emscripten unpacks wheels by running the `wheel` command from its own venv.
const peerEnv = { ...process.env, PATH: `${venv}:${process.env.PATH ?? ""}` };
const wheels = (JSON.parse(readFileSync(new URL("wheels.json", import.meta.url), "utf8")) as WasmWheelRequest[]).map(downloadWasmWheel);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timeProcess(command: string, args: string[]): number {
  const start = performance.now();
  const result = spawnSync(command, args, { cwd: root, encoding: "utf8", maxBuffer: 1 << 30, env: peerEnv });
  const elapsed = performance.now() - start;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr.slice(-500)}`);
  return elapsed;
}

const peerLibrary = `
import json, sys, time, statistics
from auditwheel_emscripten import show, get_imports, get_exports
runs, paths = int(sys.argv[1]), sys.argv[2:]
out = {}
for path in paths:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        show(path); get_imports(path); get_exports(path)
        times.append((time.perf_counter() - start) * 1000)
    out[path] = statistics.median(times)
print(json.dumps(out))
`;

const shortName = (path: string) => path.split("/").pop()!.replace(/\.whl$/, "");
const manifest = await bundledManifest();
spawnSync(process.execPath, ["bin/kiln.js", "audit", wheels[0]!], { cwd: root }); // fill the manifest cache
const peerWarm = JSON.parse(spawnSync(`${venv}/python`, ["-c", peerLibrary, String(runs), ...wheels], { encoding: "utf8", maxBuffer: 1 << 30, env: peerEnv }).stdout) as Record<string, number>;

console.log(`runs per figure: ${runs}; median wall time in ms\n`);
console.log("| wheel | size MB | kiln audit (CLI) | auditwheel-emscripten show+imports+exports (CLI) | ratio | kiln audit (library, warm) | auditwheel-emscripten (library, warm) | ratio |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
const totals = { kilnCli: 0, peerCli: 0, kilnLib: 0, peerLib: 0 };
for (const wheel of wheels) {
  const kilnCli = median(Array.from({ length: runs }, () => timeProcess(process.execPath, ["bin/kiln.js", "audit", "--format", "json", wheel])));
  const peerCli = median(Array.from({ length: runs }, () => ["show", "imports", "exports"].reduce((sum, verb) => sum + timeProcess(`${venv}/pyodide`, ["auditwheel", verb, wheel]), 0)));
  const bytes = readFileSync(wheel);
  // The library as the CLI runs it on Node: Node's zlib for CRC-32 and inflate.
  const open = () => openWheelTarget(wheel, bytes, { codecs: nodeZipCodecs });
  await auditTarget(await open(), { manifest });
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    await auditTarget(await open(), { manifest });
    times.push(performance.now() - start);
  }
  const kilnLib = median(times);
  const peerLib = peerWarm[wheel]!;
  totals.kilnCli += kilnCli; totals.peerCli += peerCli; totals.kilnLib += kilnLib; totals.peerLib += peerLib;
  console.log(`| ${shortName(wheel)} | ${(bytes.length / 1e6).toFixed(1)} | ${kilnCli.toFixed(0)} | ${peerCli.toFixed(0)} | ${(peerCli / kilnCli).toFixed(1)}× | ${kilnLib.toFixed(0)} | ${peerLib.toFixed(0)} | ${(peerLib / kilnLib).toFixed(1)}× |`);
}
const kilnAll = median(Array.from({ length: runs }, () => timeProcess(process.execPath, ["bin/kiln.js", "audit", "--format", "json", ...wheels])));
console.log(`| **all ${wheels.length} wheels, one kiln invocation** | | ${kilnAll.toFixed(0)} | ${totals.peerCli.toFixed(0)} | ${(totals.peerCli / kilnAll).toFixed(1)}× | | | |`);
console.log(`| **total** | | ${totals.kilnCli.toFixed(0)} | ${totals.peerCli.toFixed(0)} | ${(totals.peerCli / totals.kilnCli).toFixed(1)}× | ${totals.kilnLib.toFixed(0)} | ${totals.peerLib.toFixed(0)} | ${(totals.peerLib / totals.kilnLib).toFixed(1)}× |`);
