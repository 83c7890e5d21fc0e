import { strict as assert } from "node:assert";
import { test } from "node:test";
import { groupFilesByVersion, listVersionedFiles, type DistributionFile, type PackageSource } from "../index/index.js";
import type { WheelMetadataCache, WheelMetadataRecord } from "../resolver/index.js";
import { withoutDependencies, withoutDependencyRecords } from "./without-dependencies.js";

const pyodideFile: DistributionFile = {
  filename: "shapely-2.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl",
  url: "https://cdn.test/shapely.whl",
  hashes: {},
  indexUrl: "https://cdn.test/pyodide-lock.json",
  pyodide: { name: "shapely", version: "2.0", depends: ["numpy", "libgeos"], imports: ["shapely"], packageType: "package", installDir: "site" },
};
const listing = groupFilesByVersion([pyodideFile]);
const inner: PackageSource = {
  name: "repo",
  url: "https://cdn.test/pyodide-lock.json",
  listFiles: async () => [pyodideFile],
  listVersions: async () => listing,
  fetchMetadata: async () => "",
  fetchFile: async () => new Uint8Array(),
};

test("withoutDependencies drops the repository's depends in the grouped listing too, one wrapper per listing", async () => {
  const source = withoutDependencies(inner);
  const first = await listVersionedFiles(source, "shapely");
  assert.deepEqual(first.filesOf("2.0").map((file) => file.pyodide?.depends), [[]]);
  assert.deepEqual(first.all().map((file) => file.pyodide?.depends), [[]]);
  assert.equal(await listVersionedFiles(source, "shapely"), first, "an unchanged listing stays the same object");
  assert.deepEqual(pyodideFile.pyodide!.depends, ["numpy", "libgeos"], "the inner file is untouched");
});

test("withoutDependencyRecords reads records without Requires-Dist and stores nothing", async () => {
  const record: WheelMetadataRecord = { name: "App", version: "2.0", requiresPython: ">=3.9", extras: ["cli"], requiresDist: [["lib", [], ">=2", "", null]] };
  const records = new Map<string, WheelMetadataRecord>([["app.whl", record]]);
  const inner: WheelMetadataCache = { keyOf: async (file) => file.url, get: (key) => records.get(key), set: (key, value) => void records.set(key, value) };
  const view = withoutDependencyRecords(inner);
  assert.equal(await view.keyOf(pyodideFile), pyodideFile.url);
  assert.deepEqual(view.get("app.whl"), { ...record, requiresDist: [] });
  assert.equal(view.get("other.whl"), undefined);
  view.set("other.whl", record);
  view.set("app.whl", { ...record, requiresDist: [] });
  assert.deepEqual([...records], [["app.whl", record]], "the inner cache is unchanged");
});
