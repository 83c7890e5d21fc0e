#!/usr/bin/env node
// `npm run bench -- NAME [args]` runs bench/NAME/run.ts with tsx; without a name, lists them.
// Each benchmark prints kiln's figure, the peer's figure and the ratio from the same run.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const benchDir = join(root, "bench");
const available = existsSync(benchDir)
  ? readdirSync(benchDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(benchDir, entry.name, "run.ts")))
      .map((entry) => entry.name)
      .sort()
  : [];
const [name, ...rest] = process.argv.slice(2);
if (name === undefined || !available.includes(name)) {
  if (name !== undefined) console.error(`No benchmark named "${name}".`);
  console.error(`Usage: npm run bench -- NAME\nBenchmarks: ${available.join(", ") || "(none)"}`);
  process.exit(name === undefined ? 0 : 1);
}
const result = spawnSync(process.execPath, ["--import", "tsx", join(benchDir, name, "run.ts"), ...rest], { cwd: root, stdio: "inherit" });
process.exit(result.status ?? 1);
