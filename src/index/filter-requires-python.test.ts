import { strict as assert } from "node:assert";
import { test } from "node:test";
import type { DistributionFile } from "./distribution-file.js";
import { filterRequiresPython } from "./filter-requires-python.js";
import { combineSources } from "./combine-sources.js";
import type { PackageSource } from "./package-source.js";

const file = (filename: string, requiresPython?: string, indexUrl = "a"): DistributionFile => ({ filename, url: `https://x/${filename}`, hashes: {}, indexUrl, ...(requiresPython ? { requiresPython } : {}) });

const cases: [string | undefined, string, boolean][] = [
  [undefined, "3.14.2", true],
  [">=3.8", "3.14.2", true],
  [">=3.15", "3.14.2", false],
  ["<3.10,>=3.6", "3.14.2", false],
  ["==3.14.*", "3.14.2", true],
  [">=3.14", "3.14.0rc1", false],
  [">=3.14.0rc1", "3.14.0rc2", true],
  ["~=3.8", "3.14.2", true],
  ["not a specifier", "3.14.2", true],
];

for (const [requiresPython, python, kept] of cases) {
  test(`filterRequiresPython: ${requiresPython ?? "(none)"} with Python ${python} → ${kept ? "kept" : "dropped"}`, () => {
    assert.equal(filterRequiresPython([file("x-1.tar.gz", requiresPython)], python).length, kept ? 1 : 0);
  });
}

test("combineSources picks the source before filtering by requires-python", async () => {
  const source = (url: string, files: DistributionFile[]): PackageSource => ({
    name: url,
    url,
    listFiles: async () => files,
    fetchMetadata: async () => "",
    fetchFile: async () => new Uint8Array(),
  });
  const first = source("a", [file("x-2.tar.gz", ">=3.20", "a")]);
  const second = source("b", [file("x-1.tar.gz", ">=3.8", "b")]);
  assert.deepEqual(await combineSources([first, second]).listFiles("x", { pythonVersion: "3.14.2" }), []);
  const merged = await combineSources([first, second], { strategy: "unsafe-best-match" }).listFiles("x", { pythonVersion: "3.14.2" });
  assert.deepEqual(merged.map((f) => f.filename), ["x-1.tar.gz"]);
});
