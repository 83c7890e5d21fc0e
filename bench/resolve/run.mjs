#!/usr/bin/env node
// Resolution benchmark: kiln vs pip (dry run) vs uv (pip compile) on one requirement set of more
// than 50 packages after dependencies, for pyemscripten_2026_0_wasm32 / CPython 3.14, cold (empty
// cache) and warm (cache filled by the previous run), same machine, same run, alternating tools.
// Usage: npm run build && node bench/resolve/run.mjs [ROUNDS]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const kiln = join(here, "../../bin/kiln.js");
const requirements = join(here, "requirements.in");
const rounds = Number(process.argv[2] ?? 3);
const python = process.env.KILN_BENCH_PYTHON ?? "python3";

const tools = {
  kiln: (cache, out) => [process.execPath, [kiln, "lock", "-r", requirements, "--format", "requirements", "-o", join(out, "kiln.txt"), "--cache-dir", cache]],
  pip: (cache, out) => [python, ["-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed", "--report", join(out, "pip.json"), "--target", join(out, "pip-target"),
    "--only-binary=:all:", "--platform", "pyemscripten_2026_0_wasm32", "--python-version", "3.14", "--implementation", "cp", "--abi", "cp314", "--cache-dir", cache, "-r", requirements]],
  // uv has no pyemscripten_2026_0 platform; wasm32-pyodide2025 is the nearest it knows.
  uv: (cache, out) => ["uv", ["pip", "compile", requirements, "--python-version", "3.14", "--python-platform", "wasm32-pyodide2025", "--only-binary", ":all:", "--cache-dir", cache, "-q", "-o", join(out, "uv.txt")]],
};

// With a full cache and no network: index pages however old (this PyPI mirror sends no Cache-Control
// or ETag, so "warm" runs must refetch every page). pip has no offline resolution.
const offlineFlag = { kiln: "--offline", uv: "--offline" };

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
  return readFileSync(join(out, `${tool}.txt`), "utf8").split("\n").filter((l) => /^[A-Za-z0-9].*==/.test(l)).length;
}

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
const row = (tool) => {
  const r = results[tool];
  const offline = r.offline.length ? `${median(r.offline).toFixed(2)} s | ${(median(r.offline) / median(results.kiln.offline)).toFixed(2)}×` : "n/a | n/a";
  return `| ${tool} | ${r.packages} | ${median(r.cold).toFixed(2)} s | ${median(r.warm).toFixed(2)} s | ${(median(r.warm) / median(results.kiln.warm)).toFixed(2)}× | ${offline} |`;
};
console.log(`Median of ${rounds} rounds; warm = second run with the cache of the first.\n`);
console.log("| tool | packages | cold | warm | warm / kiln's | offline (full cache) | offline / kiln's |");
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const tool of Object.keys(tools)) console.log(row(tool));
console.log(`\nraw: ${JSON.stringify(results)}`);
