import { strict as assert } from "node:assert";
import { builtinModules } from "node:module";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

// DESIGN.md's layers, lowest first. A folder may import from its own folder and from folders with
// a lower rank; nothing below `platform` may touch Node built-ins.
const ranks: Record<string, number> = {
  core: 0,
  pep440: 1,
  wasm: 1,
  pep508: 2,
  tags: 3,
  "wheel-name": 4,
  metadata: 5,
  archive: 9,
  cache: 10,
  index: 11,
  lock: 12,
  runtime: 20,
  resolver: 21,
  audit: 22,
  installer: 23,
  build: 24,
  project: 25,
  platform: 30,
  cli: 40,
  "": 50,
};
const nodeAllowedFrom = ranks.platform!;

const source = fileURLToPath(new URL("../src", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

function importsOf(text: string): string[] {
  const pattern = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm;
  return [...text.matchAll(pattern)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

function folderOf(file: string): string {
  const parts = relative(source, file).split(sep);
  return parts.length > 1 ? parts[0]! : "";
}

const nodeBuiltins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

test("every src folder has a known layer", () => {
  const folders = readdirSync(source, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  for (const folder of folders) assert.ok(folder in ranks, `src/${folder} is not in the layer table`);
});

test("every layer folder has an index.ts", () => {
  const folders = readdirSync(source, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  for (const folder of folders) {
    if (folder === "platform") continue;
    assert.doesNotThrow(() => readFileSync(join(source, folder, "index.ts")), `src/${folder}/index.ts is missing`);
  }
});

test("no layer imports a layer above it, and only platform and cli touch Node", () => {
  const violations: string[] = [];
  for (const file of sourceFiles(source)) {
    const folder = folderOf(file);
    const rank = ranks[folder];
    if (rank === undefined) continue;
    for (const specifier of importsOf(readFileSync(file, "utf8"))) {
      const where = `${relative(source, file)} imports "${specifier}"`;
      if (nodeBuiltins.has(specifier) || nodeBuiltins.has(specifier.split("/")[0]!)) {
        if (rank < nodeAllowedFrom) violations.push(`${where}: Node built-ins are for platform/ and cli/ only`);
        continue;
      }
      if (!specifier.startsWith(".")) continue;
      const target = folderOf(resolve(dirname(file), specifier));
      const targetRank = ranks[target];
      if (target !== folder && (targetRank === undefined || targetRank >= rank)) {
        violations.push(`${where}: ${folder || "src"} (layer ${rank}) may not import ${target || "src"} (layer ${targetRank})`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

test("the import scanner sees every form of import", () => {
  const text = [
    'import { a } from "./a.js";',
    "export * from './b.js';",
    'import type { C } from "../c/index.js";',
    'const d = await import("node:fs");',
    'import "./side-effect.js";',
    "import {\n  e,\n  f,\n} from \"./ef.js\";",
  ].join("\n");
  assert.deepEqual(importsOf(text).sort(), ["../c/index.js", "./a.js", "./b.js", "./ef.js", "./side-effect.js", "node:fs"]);
});
