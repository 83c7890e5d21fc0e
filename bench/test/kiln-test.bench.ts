// kiln test, side by side with native pytest, in one run:
//   1. the sample project's suite: `kiln test examples/sample-project`, warm caches (and --offline);
//   2. a real project's suite (more-itertools' sdist): `kiln test` vs native pytest in a native venv;
//   3. `bin/python -m pytest --version` in a warm kiln venv vs the native venv's.
// Run: npm run build && node --import tsx bench/test/kiln-test.bench.ts
// (KILN_NATIVE_PYTHON picks the native interpreter; hyperfine must be on PATH.)
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { kilnBin, repoRoot } from "../../test/project/support.js";
import { nativePython, realProjects, runKilnTest, runNative, suiteCache, unpackSdist } from "../../test/project/real-projects.js";

const env = { ...process.env, GITHUB_ACTIONS: "", NO_COLOR: "1" };

function hyperfine(commands: Record<string, string>, options: { runs: number; warmup: number }): Record<string, { mean: number; stddev: number }> {
  const out = join(mkdtempSync(join(tmpdir(), "kiln-bench-")), "result.json");
  const names = Object.keys(commands).flatMap((name) => ["-n", name]);
  const result = spawnSync("hyperfine", ["-N", "--style", "none", "--runs", String(options.runs), "--warmup", String(options.warmup), "--export-json", out, ...names, ...Object.values(commands)], {
    cwd: repoRoot,
    env,
    encoding: "utf8",
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (result.status !== 0) throw new Error("hyperfine failed");
  const parsed = JSON.parse(readFileSync(out, "utf8")) as { results: Array<{ command: string; mean: number; stddev: number }> };
  rmSync(dirname(out), { recursive: true, force: true });
  return Object.fromEntries(parsed.results.map((r) => [r.command, { mean: r.mean, stddev: r.stddev }]));
}

const seconds = (value: number) => `${value.toFixed(2)} s`;
const lines: string[] = [];

// 1. The sample project.
const sample = hyperfine(
  {
    "kiln test (warm)": `${process.execPath} ${kilnBin} test examples/sample-project`,
    "kiln test --offline": `${process.execPath} ${kilnBin} test examples/sample-project --offline`,
  },
  { runs: 5, warmup: 1 },
);
lines.push("| sample project (12 passed, 1 skipped) | mean ± σ |", "| --- | ---: |");
for (const [name, r] of Object.entries(sample)) lines.push(`| ${name} | ${seconds(r.mean)} ± ${r.stddev.toFixed(2)} |`);

// 2. A real suite, same run: native first (its venv is cached), then kiln test.
const project = realProjects.find((p) => p.name === "more-itertools")!;
const nativeDir = unpackSdist(project);
const warmDir = unpackSdist(project);
const wasmDir = unpackSdist(project);
try {
  runKilnTest(warmDir); // warm the caches (wheels, snapshots)
  const native = runNative(project, nativeDir);
  const wasm = runKilnTest(wasmDir);
  const inSuite = (output: string) => Number(/ in ([\d.]+)s/.exec(output.split("\n").filter((l) => / in [\d.]+s/.test(l)).pop() ?? "")?.[1] ?? NaN);
  lines.push(
    "",
    `| ${project.name} ${project.version} suite (${native.report.cases.length} tests) | native pytest | kiln test | kiln / native |`,
    "| --- | ---: | ---: | ---: |",
    `| whole command (kiln: build, fresh venv, install, run) | ${seconds(native.seconds)} | ${seconds(wasm.seconds)} | ${(wasm.seconds / native.seconds).toFixed(2)}× |`,
    `| pytest's own time ("in X s") | ${seconds(inSuite(native.output))} | ${seconds(inSuite(wasm.output))} | ${(inSuite(wasm.output) / inSuite(native.output)).toFixed(2)}× |`,
  );
} finally {
  for (const dir of [nativeDir, warmDir, wasmDir]) rmSync(dirname(dir), { recursive: true, force: true });
}

// 3. pytest's start-up in warm environments.
const venv = join(suiteCache, "bench-kiln-venv");
rmSync(venv, { recursive: true, force: true });
spawnSync(process.execPath, [kilnBin, "venv", venv], { env, stdio: "ignore" });
spawnSync(process.execPath, [kilnBin, "pip", "install", "-q", "--python", venv, "pytest"], { env, stdio: "ignore" });
const nativeVenv = join(suiteCache, `native-${project.name}-${project.version}`);
const startup = hyperfine(
  {
    "kiln venv: bin/python -m pytest --version": `${venv}/bin/python -m pytest --version`,
    "native venv: bin/python -m pytest --version": `${nativeVenv}/bin/python -m pytest --version`,
  },
  { runs: 10, warmup: 2 },
);
const [kiln, peer] = Object.values(startup) as [{ mean: number; stddev: number }, { mean: number; stddev: number }];
lines.push("", "| warm venv | mean ± σ |", "| --- | ---: |");
for (const [name, r] of Object.entries(startup)) lines.push(`| ${name} | ${seconds(r.mean)} ± ${r.stddev.toFixed(2)} |`);
lines.push(`| kiln / native | ${(kiln.mean / peer.mean).toFixed(2)}× |`);

console.log(`\nNative: ${spawnSync(nativePython, ["--version"], { encoding: "utf8" }).stdout.trim()}; PYTHONDONTWRITEBYTECODE=${process.env.PYTHONDONTWRITEBYTECODE ?? "(unset)"}\n`);
console.log(lines.join("\n"));
