import { strict as assert } from "node:assert";
import { test } from "node:test";
import { parseRequirement } from "../pep508/index.js";
import { encodeWheelMetadata, type WheelMetadataCache, type WheelMetadataRecord } from "../resolver/index.js";
import { parseVersion } from "../pep440/index.js";
import { installedAfter, parsedFromMetadataCache } from "./installed-candidates.js";
import type { PlannedPackage } from "./plan-install.js";
import { compareNames } from "./installed-distributions.js";
import { memoryFileSystem } from "./memory-file-system.js";

const encoder = new TextEncoder();
const site = "/env/lib/python3.14/site-packages";

test("installedAfter: the distributions kept from before, without the removed or replaced ones, and the installed ones' METADATA, sorted by name", async () => {
  const fs = memoryFileSystem();
  await fs.mkdir(`${site}/Lib-2.1.dist-info`);
  await fs.writeFile(`${site}/Lib-2.1.dist-info/METADATA`, encoder.encode("Metadata-Version: 2.1\nName: Lib\nVersion: 2.1\nRequires-Dist: dep\n\nbody\n"));
  await fs.mkdir(`${site}/bare-1.0.dist-info`);
  const before = [
    { name: "zeta", version: "1", metadata: "Name: zeta\nVersion: 1\n" },
    { name: "lib", version: "2.0", metadata: "Name: lib\nVersion: 2.0\n" },
    { name: "Old_Thing", version: "3", metadata: "Name: Old_Thing\nVersion: 3\n" },
    { name: "alpha", version: "1", metadata: "Name: alpha\nVersion: 1\n" },
  ];
  const result = {
    installed: [
      { name: "Lib", version: "2.1", distInfo: `${site}/Lib-2.1.dist-info`, filename: "lib-2.1-py3-none-any.whl" },
      { name: "bare", version: "1.0", distInfo: `${site}/bare-1.0.dist-info`, filename: "bare-1.0-py3-none-any.whl" },
    ],
    removed: [{ name: "old-thing", version: "3" }],
  };
  const after = await installedAfter(before, result, fs);
  assert.deepEqual(
    after.map((dist) => [dist.name, dist.version]),
    [["alpha", "1"], ["bare", "1.0"], ["Lib", "2.1"], ["zeta", "1"]],
  );
  assert.match(after.find((dist) => dist.name === "Lib")!.metadata, /Requires-Dist: dep/);
  assert.deepEqual(after.find((dist) => dist.name === "Lib")!.requiresDist, ["dep"], "the installed ones' Requires-Dist, split once");
  assert.deepEqual(after.find((dist) => dist.name === "bare")!.requiresDist, []);
  assert.equal(after.find((dist) => dist.name === "bare")!.metadata, "", "a METADATA that is missing reads as empty, the names from the installation");
});

test("installedAfter: an installed wheel whose parsed metadata is known is taken from it, its METADATA unread", async () => {
  const fs = memoryFileSystem();
  const requirements = [parseRequirement("dep>=1")];
  const result = {
    installed: [
      { name: "lib", version: "2.1", distInfo: `${site}/lib-2.1.dist-info`, filename: "lib-2.1-py3-none-any.whl" },
      { name: "other", version: "1", distInfo: `${site}/other-1.dist-info`, filename: "other-1-py3-none-any.whl" },
    ],
    removed: [],
  };
  const asked: string[] = [];
  const parsed = async (staged: { filename: string }) => (asked.push(staged.filename), staged.filename.startsWith("lib-") ? { name: "Lib", version: "2.1", requirements } : undefined);
  const after = await installedAfter([], result, fs, { parsed });
  assert.deepEqual(asked.sort(), ["lib-2.1-py3-none-any.whl", "other-1-py3-none-any.whl"]);
  assert.deepEqual(after.map((dist) => [dist.name, dist.version, dist.requirements, dist.requiresDist]), [
    ["Lib", "2.1", requirements, undefined],
    ["other", "1", undefined, []],
  ]);
});

test("parsedFromMetadataCache: the record of the exact file installed (wheel or alternative, by file name); none for a build, a missing record or another name", async () => {
  const file = (filename: string) => ({ filename, url: `file:///w/${filename}`, hashes: {}, indexUrl: "file:///w/" });
  const record = (name: string, version: string, requires: string[]) =>
    encodeWheelMetadata({ displayName: name, version: parseVersion(version), extras: new Set(), requiresDist: requires.map((text) => parseRequirement(text)) });
  const records = new Map<string, WheelMetadataRecord>([
    ["file:///w/a-1-py3-none-any.whl", record("A", "1", ["b>=2; python_version >= '3'", "pytest; extra == 'test'", "brotli; python_version > '3' and extra == 'br'"])],
    ["file:///w/c-1-cp314-cp314-pyemscripten_2026_0_wasm32.whl", record("C", "1.0", [])],
    ["file:///w/d-1.tar.gz", record("D", "1", [])],
    ["file:///w/e-1-py3-none-any.whl", record("not-e", "1", [])],
  ]);
  const cache: WheelMetadataCache = { keyOf: async (wheel) => wheel.url, get: (key) => records.get(key), set: () => undefined };
  const planned = (name: string, wheel: string, alternatives: string[] = [], fromSource = false) =>
    ({ name, displayName: name, version: "1", action: "install", wheel: file(wheel), alternatives: alternatives.map(file), fromSource, requested: true, direct: false, extras: [], dependencies: [] }) as PlannedPackage;
  const parsed = parsedFromMetadataCache(
    [
      planned("a", "a-1-py3-none-any.whl"),
      planned("c", "c-1-py3-none-any.whl", ["c-1-cp314-cp314-pyemscripten_2026_0_wasm32.whl"]),
      planned("d", "d-1.tar.gz", [], true),
      planned("e", "e-1-py3-none-any.whl"),
    ],
    cache,
  );
  const staged = (name: string, filename: string) => ({ name, version: "1", distInfo: `${site}/${name}-1.dist-info`, filename });
  const a = await parsed(staged("a", "a-1-py3-none-any.whl"));
  assert.deepEqual([a?.name, a?.version, a?.requirements.map((r) => r.name)], ["A", "1", ["b"]], "requirements only for an extra are left out, undecoded");
  assert.equal((await parsed(staged("c", "c-1-cp314-cp314-pyemscripten_2026_0_wasm32.whl")))?.version, "1.0", "an alternative installed by hash");
  assert.equal(await parsed(staged("c", "c-1-py3-none-any.whl")), undefined, "no record for that file");
  assert.equal(await parsed(staged("d", "d-1-py3-none-any.whl")), undefined, "built from an sdist");
  assert.equal(await parsed(staged("e", "e-1-py3-none-any.whl")), undefined, "a record of another name is not trusted");
  assert.equal(await parsed(staged("f", "f-1-py3-none-any.whl")), undefined, "not planned");
});

test("compareNames orders by normalized name, code point by code point", () => {
  assert.deepEqual(["typing-extensions", "Pydantic_Core", "pydantic", "a0", "A-B", "ab"].sort(compareNames), ["A-B", "a0", "ab", "pydantic", "Pydantic_Core", "typing-extensions"]);
});
