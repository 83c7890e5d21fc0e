import { strict as assert } from "node:assert";
import { test } from "node:test";
import type { DistributionFile, PackageSource } from "../index/index.js";
import { formatVersion } from "../pep440/index.js";
import { resolveRequirements } from "./resolve-requirements.js";

/** Wheels `name-version`, each requiring `requires["name@version"]`; records what is listed and read. */
function recordingSource(versions: Record<string, string[]>, requires: Record<string, string[]>): PackageSource & { listed: string[]; read: string[] } {
  const listed: string[] = [];
  const read: string[] = [];
  const file = (name: string, version: string): DistributionFile => ({ filename: `${name}-${version}-py3-none-any.whl`, url: `memory://${name}-${version}`, hashes: {}, indexUrl: "memory://" });
  return {
    name: "memory",
    url: "memory://",
    listed,
    read,
    listFiles: async (project) => (listed.push(project), (versions[project] ?? []).map((version) => file(project, version))),
    fetchMetadata: async (wheel) => {
      const [name, version] = wheel.filename.split("-");
      read.push(`${name}-${version}`);
      return [`Metadata-Version: 2.1`, `Name: ${name}`, `Version: ${version}`, ...(requires[`${name}@${version}`] ?? []).map((r) => `Requires-Dist: ${r}`), ""].join("\n");
    },
    fetchFile: async () => assert.fail("no downloads"),
  };
}

test("prefetching follows the version the resolver will pick: a locked one, not the newest", async (t) => {
  const versions = { a: ["1.0", "2.0"], b: ["1.0"], c: ["1.0"] };
  const requires = { "a@1.0": ["b"], "a@2.0": ["c"] };
  const cases: Array<[string, Map<string, string> | undefined, string[], string]> = [
    ["locked a==1.0", new Map([["a", "1.0"]]), ["a 1.0", "b 1.0"], "c"],
    ["nothing locked", undefined, ["a 2.0", "c 1.0"], "b"],
  ];
  for (const [name, preferences, expected, untouched] of cases) {
    await t.test(name, async () => {
      const source = recordingSource(versions, requires);
      const result = await resolveRequirements(["a"], { source, ...(preferences ? { preferences } : {}) });
      assert.equal(result.kind, "resolved");
      if (result.kind !== "resolved") return;
      assert.deepEqual(result.packages.map((p) => `${p.name} ${formatVersion(p.version)}`), expected);
      await new Promise((resolve) => setImmediate(resolve));
      assert.ok(!source.listed.includes(untouched), `${untouched} was listed: ${source.listed.join(", ")}`);
    });
  }
});
