import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { unzipSync } from "fflate";
import { buildSdistWheel, prepareSdistMetadata, runtimeHookRunner, type BuildEnvironmentOptions } from "../../src/build/index.js";
import { nodeFileSystem } from "../../src/platform/node-file-system.js";
import { createNodeRuntimeHost } from "../../src/platform/node-runtime-host.js";
import { targetForAbi } from "../../src/resolver/index.js";
import { liveSource } from "../resolver/live-source.js";
import { testCacheDir } from "../runtime/support.js";
import { realSdist, realSdists } from "./real-sdists.js";

const work = mkdtempSync(join(tmpdir(), "kiln-prepare-"));
after(() => rmSync(work, { recursive: true, force: true }));
const fs = nodeFileSystem();
const environment: BuildEnvironmentOptions = { source: liveSource(), target: targetForAbi(), fs };
const runner = runtimeHookRunner({ host: createNodeRuntimeHost({ cacheDir: testCacheDir, env: {} }), fs });

for (const backend of ["setuptools", "poetry-core"] as const) {
  const spec = realSdists[backend];
  test(`prepare_metadata_for_build_wheel of a ${backend} sdist gives the built wheel's METADATA, then comes from the cache`, { timeout: 600_000 }, async () => {
    const sdist = new Uint8Array(readFileSync(realSdist(spec.file, spec.requirement)));
    const wheelCache = join(work, backend, "built-wheels");
    const metadata = await prepareSdistMetadata({ sdist, filename: spec.file, wheelCache, environment, runner, workDir: join(work, backend, "m") });
    const wheel = await buildSdistWheel({ sdist, filename: spec.file, wheelCache, environment, runner, workDir: join(work, backend, "w") });
    assert.equal(wheel.cached, false);
    const files = unzipSync(new Uint8Array(readFileSync(wheel.path)));
    const built = new TextDecoder().decode(Object.entries(files).find(([name]) => name.endsWith(".dist-info/METADATA"))![1]);
    assert.equal(metadata, built);
    const again = await prepareSdistMetadata({ sdist, filename: spec.file, wheelCache, environment, runner: failingRunner, workDir: join(work, backend, "m2") });
    assert.equal(again, metadata);
    const cachedWheel = await buildSdistWheel({ sdist, filename: spec.file, wheelCache, environment, runner: failingRunner, workDir: join(work, backend, "w2") });
    assert.deepEqual([cachedWheel.cached, cachedWheel.path], [true, wheel.path]);
  });
}

// Proves the second calls come from the cache: any hook call fails.
const failingRunner = { run: async () => assert.fail("the cache should have answered") };
