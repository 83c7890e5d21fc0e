#!/usr/bin/env node
// Build benchmark: `kiln build SDIST` (backend in the WASM runtime) vs `python -m build --wheel`
// (backend in host CPython, isolated environment made by pip) on three real sdists with
// different backends. Each tool gets its own fresh cache per round: cold = empty cache, warm =
// second run with that cache, offline = kiln's third run with --offline (build has no offline
// mode that still isolates). Same machine, same run, tools alternating.
// Usage: npm run build && node bench/build/run.mjs [ROUNDS]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const kiln = join(here, "../../bin/kiln.js");
const sdistDir = join(here, "../../.cache/sdists");
const rounds = Number(process.argv[2] ?? 3);
const python = process.env.KILN_BENCH_PYTHON ?? "python3";
const sdists = [
  ["tomli==2.2.1", "tomli-2.2.1.tar.gz", "flit-core"],
  ["six==1.17.0", "six-1.17.0.tar.gz", "setuptools"],
  ["tomlkit==0.13.3", "tomlkit-0.13.3.tar.gz", "poetry-core"],
];

function run(command, args, env = process.env) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { encoding: "utf8", env, maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status}):\n${result.stderr.slice(-2000)}`);
  return seconds;
}

for (const [requirement, file] of sdists) {
  if (!existsSync(join(sdistDir, file))) {
    mkdirSync(sdistDir, { recursive: true });
    run(python, ["-m", "pip", "download", "--quiet", "--no-deps", "--no-binary=:all:", "-d", sdistDir, requirement]);
  }
}

const tools = {
  kiln: (sdist, cache, out, offline) => run(process.execPath, [kiln, "build", sdist, "--outdir", out, ...(offline ? ["--offline"] : [])], { ...process.env, KILN_CACHE_DIR: cache }),
  "python -m build": (sdist, cache, out) => {
    // build takes a directory: unpack the sdist first (not timed), as kiln does inside its run.
    const unpacked = mkdtempSync(join(tmpdir(), "bench-build-src-"));
    spawnSync("tar", ["xzf", sdist, "-C", unpacked]);
    const project = join(unpacked, readdirSync(unpacked)[0]);
    try {
      return run(python, ["-m", "build", "--wheel", "--outdir", out, project], { ...process.env, PIP_CACHE_DIR: cache, PIP_DISABLE_PIP_VERSION_CHECK: "1" });
    } finally {
      rmSync(unpacked, { recursive: true, force: true });
    }
  },
};

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = {};
for (let round = 0; round < rounds; round++) {
  for (const [, file, backend] of sdists) {
    for (const [tool, build] of Object.entries(tools)) {
      const key = `${file}|${tool}`;
      results[key] ??= { file, backend, tool, cold: [], warm: [], offline: [] };
      const cache = mkdtempSync(join(tmpdir(), "bench-build-cache-"));
      const out = mkdtempSync(join(tmpdir(), "bench-build-out-"));
      try {
        results[key].cold.push(build(join(sdistDir, file), cache, out, false));
        results[key].warm.push(build(join(sdistDir, file), cache, out, false));
        if (tool === "kiln") results[key].offline.push(build(join(sdistDir, file), cache, out, true));
      } finally {
        rmSync(cache, { recursive: true, force: true });
        rmSync(out, { recursive: true, force: true });
      }
    }
  }
}

console.log(`Median of ${rounds} rounds, seconds per wheel build (whole process).\n`);
console.log("| sdist (backend) | tool | cold | warm | offline | warm: kiln / host |");
console.log("| --- | --- | --- | --- | --- | --- |");
for (const [, file, backend] of sdists) {
  const ours = results[`${file}|kiln`];
  const theirs = results[`${file}|python -m build`];
  const ratio = (median(ours.warm) / median(theirs.warm)).toFixed(2);
  for (const r of [ours, theirs]) {
    const offline = r.offline.length ? `${median(r.offline).toFixed(2)} s` : "n/a";
    console.log(`| ${file} (${backend}) | ${r.tool} | ${median(r.cold).toFixed(2)} s | ${median(r.warm).toFixed(2)} s | ${offline} | ${r.tool === "kiln" ? `${ratio}×` : ""} |`);
  }
}
console.log(`\nraw: ${JSON.stringify(Object.values(results))}`);
