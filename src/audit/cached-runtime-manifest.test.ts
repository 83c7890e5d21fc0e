import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { cachedRuntimeManifest, type ManifestCache } from "./cached-runtime-manifest.js";
import type { RuntimePackageFiles } from "./runtime-manifest.js";

const pyodide = dirname(createRequire(import.meta.url).resolve("pyodide/package.json"));
const files: RuntimePackageFiles = {
  name: "pyodide",
  version: JSON.parse(readFileSync(join(pyodide, "package.json"), "utf8")).version,
  mainModule: readFileSync(join(pyodide, "pyodide.asm.wasm")),
  loader: readFileSync(join(pyodide, "pyodide.asm.mjs"), "utf8"),
  lock: JSON.parse(readFileSync(join(pyodide, "pyodide-lock.json"), "utf8")),
};
const identity = { name: "pyodide", version: files.version, mainModuleSize: files.mainModule.length, loaderSize: files.loader.length };

function memoryCache(): ManifestCache & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return { entries, read: async (key) => entries.get(key), write: async (key, text) => void entries.set(key, text) };
}

test("a cached manifest reads back equal to the computed one, without loading the package again", async () => {
  const cache = memoryCache();
  let loads = 0;
  const load = async () => (loads++, files);
  const computed = await cachedRuntimeManifest(identity, load, cache);
  assert.equal(loads, 1);
  const [text] = [...cache.entries.values()];
  // The name lists are stored joined, not as thousands of JSON strings.
  assert.equal(typeof JSON.parse(text!).functions, "string");
  assert.ok(computed.functions.length > 1000);
  assert.deepEqual(await cachedRuntimeManifest(identity, load, cache), computed);
  assert.equal(loads, 1);
});

test("a damaged, foreign or malformed cache entry is recomputed", async () => {
  const seeded = memoryCache();
  const computed = await cachedRuntimeManifest(identity, async () => files, seeded);
  const [key, text] = [...seeded.entries][0]!;
  const cases: [string, string][] = [
    ["truncated JSON", text!.slice(0, 100)],
    ["another schema", JSON.stringify({ ...JSON.parse(text!), schema: 2 })],
    ["another version", JSON.stringify({ ...JSON.parse(text!), version: "0.0.1" })],
    ["a name list that is neither text nor a list", JSON.stringify({ ...JSON.parse(text!), functions: 3 })],
    ["not an object", "null"],
  ];
  for (const [what, damaged] of cases) {
    const cache = memoryCache();
    cache.entries.set(key!, damaged);
    let loads = 0;
    assert.deepEqual(await cachedRuntimeManifest(identity, async () => (loads++, files), cache), computed, what);
    assert.equal(loads, 1, what);
  }
});

test("name lists cached as JSON lists (names with a newline, or empty) read back as they are", async () => {
  const seeded = memoryCache();
  const computed = await cachedRuntimeManifest(identity, async () => files, seeded);
  const [key] = [...seeded.entries][0]!;
  const odd = { ...computed, functions: ["a\nb", "", "c"], dynamicPrefixes: [] };
  const cache = memoryCache();
  cache.entries.set(key!, JSON.stringify(odd));
  assert.deepEqual(await cachedRuntimeManifest(identity, async () => assert.fail("must not load"), cache), odd);
});
