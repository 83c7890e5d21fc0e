// Start-up benchmark: warm `kiln run` against a plain loadPyodide() script on the same runtime and
// native python3, timed by hyperfine in one run, printing each figure and the ratios.
// Usage: npm run build && npm run bench -- startup [--runs N] [--interleave] [--compare OTHER/bin/kiln.js]
// (needs hyperfine on PATH). --interleave runs N rounds of one run of every command, so that load
// from other processes drifting over the minutes a benchmark takes hits every command alike, and
// reports medians; --compare adds `kiln run -c pass` of another kiln build (before/after figures).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const runs = (process.argv.includes("--runs") ? process.argv[process.argv.indexOf("--runs") + 1] : undefined) ?? "20";
const work = mkdtempSync(join(tmpdir(), "kiln-bench-"));
const env = { ...process.env, KILN_CACHE_DIR: join(work, "cache") };
const node = process.execPath;
const kiln = join(root, "bin", "kiln.js");
const peer = join(root, "bench", "startup", "load-pyodide.mjs");
const imports = "import json, re, pathlib, asyncio";
const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

// A venv, to time its bin/python launcher too; creating it also builds the default snapshot.
const venv = join(work, "venv");
const created = spawnSync(node, [kiln, "venv", venv], { env, encoding: "utf8" });
if (created.status !== 0) throw new Error(`kiln venv failed: ${created.stderr}`);

const option = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const other = option("--compare");
const commands: Array<[string, string]> = [
  ["kiln run -c pass", `${quote(node)} ${quote(kiln)} run -c pass`],
  ...(other ? [["other kiln run -c pass", `${quote(node)} ${quote(other)} run -c pass`] as [string, string]] : []),
  // hyperfine gives each command /dev/null as stdin, so kiln runs Python on the main thread; with a
  // terminal on stdin it uses a worker, timed here by asking for it.
  ["kiln run -c pass, Python in a worker", `KILN_PYTHON_THREAD=worker ${quote(node)} ${quote(kiln)} run -c pass`],
  ["venv/bin/python -c pass", `${quote(join(venv, "bin", "python"))} -c pass`],
  ["loadPyodide() + pass", `${quote(node)} ${quote(peer)} pass`],
  [`kiln run -c "${imports}"`, `${quote(node)} ${quote(kiln)} run -c ${quote(imports)}`],
  [`loadPyodide() + ${imports}`, `${quote(node)} ${quote(peer)} ${quote(imports)}`],
  ["python3 -c pass", "python3 -c pass"],
  [`python3 -c "${imports}"`, `python3 -c ${quote(imports)}`],
];
interface Timing {
  command: string;
  mean: number;
  stddev: number | null;
  median: number;
  user: number;
  system: number;
}

function hyperfine(extra: string[], exported: string): Timing[] {
  const args = [...extra, "--export-json", exported, "--style", "basic"];
  for (const [name, command] of commands) args.push("--command-name", name, command);
  const result = spawnSync("hyperfine", args, { env, stdio: ["ignore", "inherit", "inherit"] });
  if (result.error) throw new Error(`Cannot run hyperfine: ${result.error.message} (apt-get install hyperfine)`);
  if (result.status !== 0) process.exit(result.status ?? 1);
  return (JSON.parse(readFileSync(exported, "utf8")) as { results: Timing[] }).results;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
// Per command: wall time (median, and its spread) and CPU time (user + system), in seconds.
const summary = new Map<string, { wall: number; spread: string; cpu: number }>();
if (process.argv.includes("--interleave")) {
  hyperfine(["--warmup", "3", "--runs", "1"], join(work, "warmup.json"));
  const rounds = Array.from({ length: Number(runs) }, (_, round) => hyperfine(["--runs", "1"], join(work, `round-${round}.json`)));
  for (const [name] of commands) {
    const mine = rounds.map((round) => round.find((timing) => timing.command === name)!);
    const walls = mine.map((timing) => timing.mean);
    const quartile = (q: number) => [...walls].sort((a, b) => a - b)[Math.floor(q * (walls.length - 1))]!;
    summary.set(name, {
      wall: median(walls),
      spread: `${(quartile(0.25) * 1000).toFixed(0)}–${(quartile(0.75) * 1000).toFixed(0)}`,
      cpu: median(mine.map((timing) => timing.user + timing.system)),
    });
  }
} else {
  for (const timing of hyperfine(["--warmup", "3", "--runs", runs], join(work, "hyperfine.json"))) {
    summary.set(timing.command, { wall: timing.mean, spread: `± ${((timing.stddev ?? 0) * 1000).toFixed(0)}`, cpu: timing.user + timing.system });
  }
}

const wall = (name: string) => summary.get(name)!.wall;
const interleaved = process.argv.includes("--interleave");
console.log(`\n| command | ${interleaved ? "median (interquartile range)" : "mean ± σ"} | CPU (user + system) |\n| --- | --- | --- |`);
for (const [name] of commands) {
  const { spread, cpu } = summary.get(name)!;
  console.log(`| ${name} | ${(wall(name) * 1000).toFixed(0)} ms (${spread}) | ${(cpu * 1000).toFixed(0)} ms |`);
}
const ratio = (a: string, b: string) => (wall(b) / wall(a)).toFixed(1);
console.log(`\nwarm kiln run -c pass is ${ratio("kiln run -c pass", "loadPyodide() + pass")}× faster than loadPyodide() + pass`);
console.log(`kiln run with imports is ${ratio(`kiln run -c "${imports}"`, `loadPyodide() + ${imports}`)}× faster than loadPyodide() with the same imports`);
console.log(`native python3 -c pass is ${ratio("python3 -c pass", "kiln run -c pass")}× faster than warm kiln run -c pass`);
if (other) console.log(`kiln run -c pass is ${ratio("kiln run -c pass", "other kiln run -c pass")}× faster than the other build's`);
