// kiln test, side by side with native pytest, in one run:
//   1. the sample project's suite: `kiln test examples/sample-project`, warm caches (and --offline),
//      after an edit of a source file (the wheel is rebuilt, the environment template reused), and
//      where the time of one warm run goes (timestamps of kiln's progress lines);
//   2. a real project's suite (more-itertools' sdist): `kiln test` vs native pytest in a native venv;
//   3. `bin/python -m pytest --version` in a warm kiln venv vs the native venv's.
// Run: npm run build && node --import tsx bench/test/kiln-test.bench.ts
// (KILN_NATIVE_PYTHON picks the native interpreter; hyperfine must be on PATH.)
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { kilnBin, repoRoot } from "../../test/project/support.js";
import { nativePython, realProjects, runKilnTest, runNative, suiteCache, unpackSdist } from "../../test/project/real-projects.js";

const env = { ...process.env, GITHUB_ACTIONS: "", NO_COLOR: "1" };

interface Timing {
  mean: number;
  stddev: number;
  /** CPU seconds (user + system) per run, this process's children included: the machine is shared. */
  cpu: number;
}

function hyperfine(commands: Record<string, string>, options: { runs: number; warmup: number; prepare?: string }): Record<string, Timing> {
  const out = join(mkdtempSync(join(tmpdir(), "kiln-bench-")), "result.json");
  const names = Object.keys(commands).flatMap((name) => ["-n", name]);
  const prepare = options.prepare ? ["--prepare", options.prepare] : [];
  const result = spawnSync("hyperfine", ["-N", "--style", "none", "--runs", String(options.runs), "--warmup", String(options.warmup), ...prepare, "--export-json", out, ...names, ...Object.values(commands)], {
    cwd: repoRoot,
    env,
    encoding: "utf8",
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (result.status !== 0) throw new Error("hyperfine failed");
  const parsed = JSON.parse(readFileSync(out, "utf8")) as { results: Array<{ command: string; mean: number; stddev: number; user: number; system: number }> };
  rmSync(dirname(out), { recursive: true, force: true });
  return Object.fromEntries(parsed.results.map((r) => [r.command, { mean: r.mean, stddev: r.stddev, cpu: r.user + r.system }]));
}

/** One run of a command, each output line stamped with the seconds since the start. */
function stampedRun(argv: string[], options: { cwd: string }): Promise<Array<{ at: number; line: string }>> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const lines: Array<{ at: number; line: string }> = [];
    const child = spawn(argv[0]!, argv.slice(1), { cwd: options.cwd, env: { ...env, KILN_DEBUG: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    const collect = (stream: NodeJS.ReadableStream) => {
      let rest = "";
      stream.setEncoding("utf8");
      stream.on("data", (text: string) => {
        const parts = (rest + text).split("\n");
        rest = parts.pop()!;
        for (const line of parts) lines.push({ at: (performance.now() - started) / 1000, line });
      });
    };
    collect(child.stdout!);
    collect(child.stderr!);
    child.on("error", reject);
    child.on("close", () => resolve([...lines, { at: (performance.now() - started) / 1000, line: "(exit)" }]));
  });
}

/** The milestones of a warm `kiln test -v` run, as [phase, seconds] from one milestone to the next. */
function phases(lines: Array<{ at: number; line: string }>): Array<[string, number]> {
  const milestones: Array<[string, RegExp]> = [
    ["node start, kiln's modules, hashing the project's sources, looking up its wheel", /Using the wheel built before|Building the wheel/],
    ["(building the wheel, when the sources changed)", /Test requirements:/],
    ["the fresh venv (runtime description from the cache)", /Installing \d+ requirements? into/],
    ["resolving the test requirements", /Resolved \d+ packages/],
    ["copying the environment template", /Copied the prepared environment|Installing \d+ packages and compiling/],
    ["installing the project's wheel, writing the pytest plugin", /Running .* in /],
    ["the python process: node, kiln's launcher, runtime start from the memory snapshot", /Connected stdio and mounted/],
    ["pytest's start-up: imports (bytecode for site-packages and, from kiln's compiled archive, the standard library), plugins, collection", /collected \d+ item/],
    ["the 13 tests", /=+ .*passed.* in [\d.]+s/],
    ["python exits; kiln reads the JUnit XML, removes the scratch directory, prints the summary", /^\(exit\)$/],
  ];
  const result: Array<[string, number]> = [];
  let previous = 0;
  for (const [name, pattern] of milestones) {
    const hit = lines.find((entry) => entry.at >= previous && pattern.test(entry.line));
    if (!hit) continue;
    result.push([name, hit.at - previous]);
    previous = hit.at;
  }
  return result;
}

const seconds = (value: number) => `${value.toFixed(2)} s`;
// Each table is printed as soon as it is measured, so a later failure loses nothing.
const lines = { push: (...rows: string[]) => console.log(rows.join("\n")) };
console.log(`Native: ${spawnSync(nativePython, ["--version"], { encoding: "utf8" }).stdout.trim()}; PYTHONDONTWRITEBYTECODE=${process.env.PYTHONDONTWRITEBYTECODE ?? "(unset)"}\n`);

// 1. The sample project.
const sample = hyperfine(
  {
    "kiln test (warm)": `${process.execPath} ${kilnBin} test examples/sample-project`,
    "kiln test --offline": `${process.execPath} ${kilnBin} test examples/sample-project --offline`,
  },
  { runs: 5, warmup: 1 },
);
// An edit before each run: a copy of the project whose module gets one more line every time.
const editDir = mkdtempSync(join(tmpdir(), "kiln-bench-edit-"));
cpSync(join(repoRoot, "examples/sample-project"), editDir, { recursive: true });
// hyperfine -N splits commands like a shell: the program text is double-quoted, without spaces.
const edit = `${process.execPath} -e "require('fs').appendFileSync('${editDir}/src/kiln_sample/__init__.py','#'+Date.now()+'\\n')"`;
const edited = hyperfine({ "kiln test after editing a source file": `${process.execPath} ${kilnBin} test ${editDir}` }, { runs: 5, warmup: 1, prepare: edit });
rmSync(editDir, { recursive: true, force: true });
lines.push("| sample project (12 passed, 1 skipped) | wall mean ± σ | CPU (user + sys) |", "| --- | ---: | ---: |");
for (const [name, r] of Object.entries({ ...sample, ...edited })) lines.push(`| ${name} | ${seconds(r.mean)} ± ${r.stddev.toFixed(2)} | ${seconds(r.cpu)} |`);
const stamped = await stampedRun([process.execPath, kilnBin, "test", "examples/sample-project", "-v"], { cwd: repoRoot });
lines.push("", "| one warm run (`kiln test examples/sample-project -v`), phase | seconds |", "| --- | ---: |");
for (const [name, value] of phases(stamped)) lines.push(`| ${name} | ${value.toFixed(2)} |`);
lines.push(`| total | ${stamped.at(-1)!.at.toFixed(2)} |`);

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
const [kiln, peer] = Object.values(startup) as [Timing, Timing];
lines.push("", "| warm venv | mean ± σ |", "| --- | ---: |");
for (const [name, r] of Object.entries(startup)) lines.push(`| ${name} | ${seconds(r.mean)} ± ${r.stddev.toFixed(2)} |`);
lines.push(`| kiln / native | ${(kiln.mean / peer.mean).toFixed(2)}× |`);

