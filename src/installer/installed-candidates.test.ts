import { strict as assert } from "node:assert";
import { test } from "node:test";
import { installedAfter } from "./installed-candidates.js";
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

test("compareNames orders by normalized name, code point by code point", () => {
  assert.deepEqual(["typing-extensions", "Pydantic_Core", "pydantic", "a0", "A-B", "ab"].sort(compareNames), ["A-B", "a0", "ab", "pydantic", "Pydantic_Core", "typing-extensions"]);
});
