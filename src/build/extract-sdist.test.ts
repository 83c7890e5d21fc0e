import { strict as assert } from "node:assert";
import { test } from "node:test";
import { buildTar } from "../../test/build/tar-builder.js";
import { buildZip } from "../../test/support/zip-builder.js";
import { isKilnError } from "../core/index.js";
import { memoryFileSystem } from "../installer/index.js";
import { extractSdist } from "./extract-sdist.js";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

test("extracts a .tar.gz sdist, keeps the executable bit and writes links as copies", async () => {
  const fs = memoryFileSystem();
  const bytes = buildTar(
    [
      { name: "pkg-1.0/", type: "5", mode: 0o755 },
      { name: "pkg-1.0/pyproject.toml", data: "[build-system]\nrequires = []\n" },
      { name: "pkg-1.0/tools/run.sh", data: "#!/bin/sh\n", mode: 0o755 },
      { name: "pkg-1.0/docs/index.txt", data: "docs" },
      { name: "pkg-1.0/README", type: "2", linkName: "docs/index.txt" },
      { name: "pkg-1.0/manual", type: "2", linkName: "docs" },
      { name: "pkg-1.0/dangling", type: "2", linkName: "nowhere" },
    ],
    { gzip: true },
  );
  const project = await extractSdist(bytes, { filename: "pkg-1.0.tar.gz", destination: "/work", fs });
  assert.equal(project, "/work/pkg-1.0");
  assert.equal(text(await fs.readFile("/work/pkg-1.0/README")), "docs");
  assert.equal(text(await fs.readFile("/work/pkg-1.0/manual/index.txt")), "docs");
  assert.equal(await fs.exists("/work/pkg-1.0/dangling"), false);
  assert.equal((await fs.stat("/work/pkg-1.0/tools/run.sh"))?.mode, 0o755);
  assert.equal((await fs.stat("/work/pkg-1.0/pyproject.toml"))?.mode, 0o644);
});

test("extracts a legacy .zip sdist", async () => {
  const fs = memoryFileSystem();
  const bytes = buildZip([{ name: "pkg-1.0/setup.py", data: "from setuptools import setup\nsetup()\n" }]);
  const project = await extractSdist(bytes, { filename: "pkg-1.0.zip", destination: "/work", fs });
  assert.match(text(await fs.readFile(`${project}/setup.py`)), /setup\(\)/);
});

const refused: Array<{ name: string; bytes: Uint8Array; message: RegExp }> = [
  { name: "two top-level directories", bytes: buildTar([{ name: "a/x", data: "" }, { name: "b/y", data: "" }], { gzip: true }), message: /2 top-level entries/ },
  { name: "a file at the top", bytes: buildTar([{ name: "pkg-1.0", data: "" }], { gzip: true }), message: /is not a directory/ },
  { name: "an empty archive", bytes: buildTar([], { gzip: true }), message: /it is empty/ },
];

for (const item of refused) {
  test(`refuses an sdist with ${item.name}`, async () => {
    await assert.rejects(extractSdist(item.bytes, { filename: "bad-1.0.tar.gz", destination: "/work", fs: memoryFileSystem() }), (error: unknown) => {
      return isKilnError(error, "invalidSdist") && item.message.test(error.message) && error.message.includes("bad-1.0.tar.gz");
    });
  });
}
