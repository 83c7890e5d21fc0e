// Side-by-side benchmarks for src/archive and src/installer:
//   1. reading every entry of real wheels: kiln's zip reader vs Python's zipfile (both in-process);
//   2. installing four pure wheels into a fresh prefix, whole process: kiln vs pip vs uv (hyperfine).
// Run: npm run build && node --import tsx bench/installer.bench.ts
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bytesSource, openZip } from "../src/archive/index.js";
import { hostPython, runHostPython } from "../test/support/host-python.js";
import { realWheel, type RealWheelName } from "../test/support/real-wheels.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const rounds = 30;

async function kilnReadAll(bytes: Uint8Array): Promise<number> {
  const started = performance.now();
  for (let round = 0; round < rounds; round++) {
    const archive = await openZip(bytesSource(bytes));
    for (const entry of archive.entries) await archive.readEntry(entry);
  }
  return (performance.now() - started) / rounds;
}

function pythonReadAll(path: string): number {
  return runHostPython<number>(
    String.raw`
import json, sys, time, zipfile
data = json.load(sys.stdin)
with open(data["path"], "rb") as f: raw = f.read()
import io
started = time.perf_counter()
for _ in range(data["rounds"]):
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        for info in archive.infolist(): archive.read(info)
print(json.dumps((time.perf_counter() - started) * 1000 / data["rounds"]))
`,
    { path, rounds },
  );
}

console.log("## Reading every entry of a wheel (in-process, mean of 30 rounds)\n");
console.log("| wheel | size | kiln (ms) | Python zipfile (ms) | kiln / zipfile |");
console.log("| --- | --- | --- | --- | --- |");
for (const name of ["pytest", "pydantic-core"] as RealWheelName[]) {
  const path = realWheel(name);
  const bytes = new Uint8Array(readFileSync(path));
  await kilnReadAll(bytes);
  const ours = await kilnReadAll(bytes);
  const theirs = pythonReadAll(path);
  console.log(`| ${basename(path)} | ${(bytes.length / 1024).toFixed(0)} KiB | ${ours.toFixed(2)} | ${theirs.toFixed(2)} | ${(ours / theirs).toFixed(2)} |`);
}

const temporary = mkdtempSync(join(tmpdir(), "kiln-bench-"));
const wheels = (["pytest", "packaging", "iniconfig", "pluggy"] as RealWheelName[]).map(realWheel);
const version = spawnSync(hostPython, ["-c", "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')"], { encoding: "utf8" }).stdout.trim();
const target = join(temporary, "prefix");
const list = wheels.join(" ");
const commands = {
  kiln: `BENCH_PYTHON_VERSION=${version} node ${join(root, "bench", "install-once.mjs")} ${target} ${list}`,
  pip: `${hostPython} -m pip install --quiet --disable-pip-version-check --ignore-installed --no-deps --no-compile --no-warn-script-location --prefix ${target} ${list}`,
  uv: `uv pip install --quiet --no-deps --python ${hostPython} --prefix ${target} --link-mode copy ${list}`,
};
const exported = join(temporary, "hyperfine.json");
const run = spawnSync(
  "hyperfine",
  ["--warmup", "2", "--runs", "10", "--prepare", `rm -rf ${target}`, "--export-json", exported, ...Object.entries(commands).flatMap(([name, command]) => ["-n", name, command])],
  { encoding: "utf8", stdio: ["ignore", "ignore", "inherit"] },
);
if (run.status !== 0) throw new Error("hyperfine failed");
const results = (JSON.parse(readFileSync(exported, "utf8")) as { results: { command: string; mean: number; stddev: number }[] }).results;
const kiln = results.find((result) => result.command === "kiln")!.mean;
console.log("\n## Installing pytest, packaging, iniconfig, pluggy into a fresh prefix (whole process, hyperfine, 10 runs)\n");
console.log("| tool | mean (ms) | ± (ms) | tool / kiln |");
console.log("| --- | --- | --- | --- |");
for (const result of results) {
  console.log(`| ${result.command} | ${(result.mean * 1000).toFixed(0)} | ${(result.stddev * 1000).toFixed(0)} | ${(result.mean / kiln).toFixed(2)} |`);
}
rmSync(temporary, { recursive: true, force: true });
