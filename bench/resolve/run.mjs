#!/usr/bin/env node
// Resolution benchmark: kiln vs pip (dry run) vs uv (pip compile) vs micropip (inside Pyodide) on
// one requirement set of more than 50 packages after dependencies, for pyemscripten_2026_0_wasm32
// / CPython 3.14, cold (empty cache), warm (cache filled by the previous run) and offline (full
// cache, no network), same machine, same run, tools alternating.
// Usage: npm run build && node bench/resolve/run.mjs [ROUNDS]
// KILN_BENCH_BEFORE=DIR adds the kiln of another built checkout (DIR/bin/kiln.js) as "kiln-before",
// for before/after figures from the same run.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const kiln = join(here, "../../bin/kiln.js");
const requirements = join(here, "requirements.in");
const rounds = Number(process.argv[2] ?? 3);
const python = process.env.KILN_BENCH_PYTHON ?? "python3";
const indexUrl = "https://pypi.org/simple/";
const micropipVersion = "0.11.1"; // the version Pyodide 314.0.7's lock file ships

/** micropip's wheel from PyPI (pure Python), downloaded once outside the timings. */
function micropipWheel() {
  const directory = join(here, "../../.cache/bench/micropip");
  const find = () => (existsSync(directory) ? readdirSync(directory).find((f) => f.startsWith(`micropip-${micropipVersion}-`) && f.endsWith(".whl")) : undefined);
  if (!find()) {
    mkdirSync(directory, { recursive: true });
    const args = ["-m", "pip", "download", `micropip==${micropipVersion}`, "--no-deps", "--only-binary=:all:", "--python-version", "3.14", "-d", directory, "-q"];
    const result = spawnSync(python, args, { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`pip download micropip failed:\n${result.stderr}`);
  }
  return join(directory, find());
}

const wheel = micropipWheel();
const kilnLock = (bin, output) => (cache, out) => [process.execPath, [bin, "lock", "-r", requirements, "--format", "requirements", "-o", join(out, output), "--cache-dir", cache, "--index-url", indexUrl]];
const before = process.env.KILN_BENCH_BEFORE;
const tools = {
  kiln: kilnLock(kiln, "kiln.txt"),
  ...(before ? { "kiln-before": kilnLock(join(before, "bin/kiln.js"), "kiln-before.txt") } : {}),
  pip: (cache, out) => [python, ["-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed", "--report", join(out, "pip.json"), "--target", join(out, "pip-target"),
    "--only-binary=:all:", "--platform", "pyemscripten_2026_0_wasm32", "--python-version", "3.14", "--implementation", "cp", "--abi", "cp314", "--cache-dir", cache, "-i", indexUrl, "-r", requirements]],
  // uv has no pyemscripten_2026_0 platform; wasm32-pyodide2025 is the nearest it knows.
  uv: (cache, out) => ["uv", ["pip", "compile", requirements, "--python-version", "3.14", "--python-platform", "wasm32-pyodide2025", "--only-binary", ":all:", "--cache-dir", cache, "--index-url", indexUrl, "-q", "-o", join(out, "uv.txt")]],
  // micropip keeps no cache between processes: every run is cold.
  micropip: (_cache, out) => [process.execPath, [join(here, "micropip.mjs"), wheel, requirements, `${indexUrl}{package_name}/`, join(out, "micropip.json")]],
};

// With a full cache and no network: index pages however old (this PyPI mirror sends no Cache-Control
// or ETag, so "warm" runs must refetch every page). pip and micropip have no offline resolution.
const offlineFlag = { kiln: "--offline", "kiln-before": "--offline", uv: "--offline" };

function time(tool, cache, out, offline = false) {
  const [command, baseArgs] = tools[tool](cache, out);
  const args = offline ? [...baseArgs, offlineFlag[tool]] : baseArgs;
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { encoding: "utf8", env: { ...process.env, KILN_CACHE_DIR: cache } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${tool} failed (${result.status}):\n${result.stderr.slice(-2000)}`);
  return seconds;
}

function count(tool, out) {
  if (tool === "pip") return JSON.parse(readFileSync(join(out, "pip.json"), "utf8")).install.length;
  if (tool === "micropip") {
    const report = JSON.parse(readFileSync(join(out, "micropip.json"), "utf8"));
    details.micropip = { failed: report.failed, startupSeconds: report.startupSeconds, resolveSeconds: [...(details.micropip?.resolveSeconds ?? []), report.resolveSeconds] };
    return new Set(report.packages.map((p) => p.split("==")[0])).size;
  }
  return readFileSync(join(out, `${tool}.txt`), "utf8").split("\n").filter((l) => /^[A-Za-z0-9].*==/.test(l)).length;
}

const details = {};
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = Object.fromEntries(Object.keys(tools).map((t) => [t, { cold: [], warm: [], offline: [], packages: 0 }]));
for (let round = 0; round < rounds; round++) {
  for (const tool of Object.keys(tools)) {
    const cache = mkdtempSync(join(tmpdir(), `bench-${tool}-cache-`));
    const out = mkdtempSync(join(tmpdir(), `bench-${tool}-out-`));
    try {
      results[tool].cold.push(time(tool, cache, out));
      results[tool].warm.push(time(tool, cache, out));
      if (offlineFlag[tool]) results[tool].offline.push(time(tool, cache, out, true));
      results[tool].packages = count(tool, out);
    } finally {
      rmSync(cache, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    }
  }
}
const ratio = (value, base) => `${(value / base).toFixed(2)}×`;
const row = (tool) => {
  const r = results[tool];
  const kilnWarm = median(results.kiln.warm);
  const offline = r.offline.length ? `${median(r.offline).toFixed(2)} s | ${ratio(median(r.offline), median(results.kiln.offline))}` : "n/a | n/a";
  return `| ${tool} | ${r.packages} | ${median(r.cold).toFixed(2)} s | ${median(r.warm).toFixed(2)} s | ${ratio(median(r.warm), kilnWarm)} | ${offline} |`;
};
console.log(`Median of ${rounds} rounds; warm = second run with the cache of the first; ratios are tool / kiln.\n`);
console.log("| tool | packages | cold | warm | warm / kiln's | offline (full cache) | offline / kiln's |");
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const tool of Object.keys(tools)) console.log(row(tool));
console.log(`\nmicropip: ${JSON.stringify(details.micropip)}`);
console.log(`raw: ${JSON.stringify(results)}`);
