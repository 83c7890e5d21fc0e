// Start-up benchmark: warm `kiln run` against a plain loadPyodide() script on the same runtime and
// native python3, timed by hyperfine in one run, printing each figure and the ratios.
// Usage: npm run build && npm run bench -- startup [--runs N]   (needs hyperfine on PATH)
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

const commands: Array<[string, string]> = [
  ["kiln run -c pass", `${quote(node)} ${quote(kiln)} run -c pass`],
  ["venv/bin/python -c pass", `${quote(join(venv, "bin", "python"))} -c pass`],
  ["loadPyodide() + pass", `${quote(node)} ${quote(peer)} pass`],
  [`kiln run -c "${imports}"`, `${quote(node)} ${quote(kiln)} run -c ${quote(imports)}`],
  [`loadPyodide() + ${imports}`, `${quote(node)} ${quote(peer)} ${quote(imports)}`],
  ["python3 -c pass", "python3 -c pass"],
  [`python3 -c "${imports}"`, `python3 -c ${quote(imports)}`],
];
const exported = join(work, "hyperfine.json");
const args = ["--warmup", "3", "--runs", runs, "--export-json", exported, "--style", "basic"];
for (const [name, command] of commands) args.push("--command-name", name, command);
const result = spawnSync("hyperfine", args, { env, stdio: ["ignore", "inherit", "inherit"] });
if (result.error) throw new Error(`Cannot run hyperfine: ${result.error.message} (apt-get install hyperfine)`);
if (result.status !== 0) process.exit(result.status ?? 1);

interface Timing {
  command: string;
  mean: number;
  stddev: number;
}
const results = (JSON.parse(readFileSync(exported, "utf8")) as { results: Timing[] }).results;
const times = new Map(results.map((r) => [r.command, r]));
const mean = (name: string) => times.get(name)!.mean;
const row = (name: string) => `| ${name} | ${(mean(name) * 1000).toFixed(0)} ± ${(times.get(name)!.stddev * 1000).toFixed(0)} ms |`;
console.log("\n| command | mean ± σ |\n| --- | --- |");
for (const [name] of commands) console.log(row(name));
const ratio = (a: string, b: string) => (mean(b) / mean(a)).toFixed(1);
console.log(`\nwarm kiln run -c pass is ${ratio("kiln run -c pass", "loadPyodide() + pass")}× faster than loadPyodide() + pass`);
console.log(`kiln run with imports is ${ratio(`kiln run -c "${imports}"`, `loadPyodide() + ${imports}`)}× faster than loadPyodide() with the same imports`);
console.log(`native python3 -c pass is ${ratio("python3 -c pass", "kiln run -c pass")}× faster than warm kiln run -c pass`);
