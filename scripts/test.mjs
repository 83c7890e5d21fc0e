#!/usr/bin/env node
// The README's test command: builds (tsc, then the CLI bundle bin/kiln.js loads), type-checks (whole tree, and the isomorphic layers against
// DOM libs without Node types), then runs every *.test.ts under src/ and test/ with Node's test
// runner. Arguments filter test files by substring: `npm test -- pep440 layering`.
// KILN_TEST_QUICK=1 skips build and type-check while iterating.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const filters = process.argv.slice(2);

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`\n${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
    console.log("0 passed, 1 failed");
    process.exit(1);
  }
}

function findTests(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTests(path));
    else if (entry.name.endsWith(".test.ts")) found.push(relative(root, path));
  }
  return found;
}

if (process.env.KILN_TEST_QUICK !== "1") {
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  run(process.execPath, [tsc, "-p", "tsconfig.build.json"]);
  run(process.execPath, [join(root, "scripts", "bundle.mjs")]);
  run(process.execPath, [tsc, "-p", "tsconfig.json", "--noEmit"]);
  run(process.execPath, [tsc, "-p", "tsconfig.core.json", "--noEmit"]);
}

const files = [...findTests(join(root, "src")), ...findTests(join(root, "test"))]
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();
if (files.length === 0) {
  console.error(`No test files match ${filters.join(" ")}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", ...files], { cwd: root, stdio: "inherit" });
process.exit(result.status ?? 1);
