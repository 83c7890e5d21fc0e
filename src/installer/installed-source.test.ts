import { strict as assert } from "node:assert";
import { test } from "node:test";
import { groupFilesByVersion, listVersionedFiles, type DistributionFile, type PackageSource, type VersionedFiles } from "../index/index.js";
import { preferInstalled } from "./installed-source.js";

const wheel = (name: string, version: string): DistributionFile => ({ filename: `${name}-${version}-py3-none-any.whl`, url: `https://index.test/${name}-${version}`, hashes: {}, indexUrl: "https://index.test/" });
const files: Record<string, DistributionFile[]> = { a: [wheel("a", "1.0"), wheel("a", "2.0")], b: [wheel("b", "2.0")] };
const listings = new Map(Object.entries(files).map(([name, list]) => [name, groupFilesByVersion(list)]));
const inner: PackageSource = {
  name: "index",
  url: "https://index.test/",
  listFiles: async (project) => files[project] ?? [],
  listVersions: async (project) => listings.get(project) ?? groupFilesByVersion([]),
  fetchMetadata: async () => "",
  fetchFile: async () => new Uint8Array(),
};
const installed = [{ name: "B", version: "1.5", metadata: "Metadata-Version: 2.1\nName: B\nVersion: 1.5\n" }];
const names = (listing: VersionedFiles) => listing.all().map((file) => file.filename);

test("preferInstalled's grouped listing: the index's own listing for projects not kept, the installed version for kept ones", async () => {
  for (const mode of ["installed-only", "also-installed"] as const) {
    const source = preferInstalled(inner, { installed, keep: new Set(["b"]), mode });
    assert.equal(await listVersionedFiles(source, "a"), listings.get("a"), "the inner listing itself, decoded lazily");
    const kept = await listVersionedFiles(source, "b");
    assert.deepEqual(kept.versions, mode === "installed-only" ? ["1.5"] : ["1.5", "2.0"]);
    assert.deepEqual(names(kept), (await source.listFiles("b")).map((file) => file.filename), "the same files as listFiles");
  }
});
