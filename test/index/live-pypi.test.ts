import { strict as assert } from "node:assert";
import { test } from "node:test";
import { SimpleIndexSource, fetchCoreMetadata, resolveIndexSettings, type DistributionFile } from "../../src/index/index.js";
import { createNodeHttpSession } from "../../src/platform/node.js";

// Live: the real public index (CI has network access to PyPI). Uses the environment's own index
// settings (proxy, CA, PIP_INDEX_URL) so it runs wherever pip would.
async function pypi() {
  const settings = resolveIndexSettings({ cwdUrl: "file:///", env: process.env });
  const session = await createNodeHttpSession(settings, { env: process.env, cacheDir: false });
  return { session, index: new SimpleIndexSource({ url: settings.indexUrl, session }) };
}

test("live: the files of packaging, with hashes, requires-python and a known release", async () => {
  const { index } = await pypi();
  const files = await index.listFiles("packaging");
  const wheel = files.find((f) => f.filename === "packaging-24.0-py3-none-any.whl");
  assert.ok(wheel, "packaging 24.0's wheel is listed");
  assert.equal(wheel.hashes.sha256, "2ddfb553fdf02fb784c234c7ba6ccc288296ceabec964ad2eae3777778130bc5");
  assert.equal(wheel.requiresPython, ">=3.7");
  assert.match(wheel.url, /^https:\/\/.*\/packaging-24\.0-py3-none-any\.whl$/);
  assert.ok(files.length > 100);
  assert.deepEqual((await index.listFiles("packaging", { pythonVersion: "2.7.18" })).filter((f) => f.filename.startsWith("packaging-24")), []);
});

test("live: METADATA of the newest pydantic-core pyemscripten wheel over range requests, a small fraction of the wheel", async () => {
  const { index, session } = await pypi();
  const wasm = (await index.listFiles("pydantic-core")).filter((f) => /-pyemscripten_\d+_\d+_wasm32\.whl$/.test(f.filename));
  assert.ok(wasm.length > 0, "pydantic-core publishes pyemscripten wheels");
  const newest = wasm.reduce((a: DistributionFile, b: DistributionFile) => ((b.uploadTime ?? "") > (a.uploadTime ?? "") ? b : a));
  let how: { via: string; bytesFetched: number; fileSize?: number } | undefined;
  const text = await fetchCoreMetadata(session, newest, { onFetched: (h) => (how = h) });
  const version = newest.filename.split("-")[1]!;
  assert.match(text, /^Name: pydantic[_-]core$/im);
  assert.match(text, new RegExp(`^Version: ${version.replace(/\./g, "\\.")}$`, "m"));
  assert.equal(how?.via, "range-requests");
  assert.ok(how!.bytesFetched <= 128 * 1024, `fetched ${how!.bytesFetched} bytes`);
  assert.ok(how!.bytesFetched * 10 < how!.fileSize!, `fetched ${how!.bytesFetched} of ${how!.fileSize} bytes`);
});
