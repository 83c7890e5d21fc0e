import { strict as assert } from "node:assert";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { RuntimeFiles } from "../runtime/index.js";
import { describeRuntimeCached } from "./node-runtime-description.js";
import { createNodeRuntimeHost } from "./node-runtime-host.js";

/**
 * The bundled runtime, with its description cache in a fresh directory and runtime starts
 * counted; with `refuseStart`, a start is counted and then fails (no real start needed to see it).
 */
function countingHost(cacheDir: string, options: { identitySuffix?: string; refuseStart?: boolean } = {}) {
  // Snapshots are read from the user's cache, so the one real start here is a warm one.
  const real = createNodeRuntimeHost().snapshots;
  const snapshots = { read: (key: string) => real.read(key), write: async () => undefined, remove: async () => undefined };
  const host = { ...createNodeRuntimeHost({ cacheDir }), snapshots, starts: 0 };
  const locate = host.locateRuntime;
  host.locateRuntime = async (spec) => {
    const files = await locate(spec);
    const counted: RuntimeFiles = {
      ...files,
      buildIdentity: files.buildIdentity + (options.identitySuffix ?? ""),
      loadPyodide: (loadOptions) => {
        host.starts++;
        return options.refuseStart ? Promise.reject(new Error("refused start")) : files.loadPyodide(loadOptions);
      },
    };
    return counted;
  };
  return host;
}

test("a runtime build is described once: later venvs read the description from the cache", async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), "kiln-describe-"));
  try {
    const first = countingHost(cacheDir);
    const described = await describeRuntimeCached(first, { kind: "bundled" }, { kilnVersion: "1.0" });
    assert.equal(first.starts, 1);
    assert.match(described.description.platformTags[0]!, /^pyemscripten_\d{4}_\d+_wasm32$/);
    assert.match(described.description.pythonVersion, /^3\.\d+\.\d+$/);

    const second = countingHost(cacheDir);
    const again = await describeRuntimeCached(second, { kind: "bundled" }, { kilnVersion: "1.0" });
    assert.equal(second.starts, 0, "no runtime start for a described build");
    assert.deepEqual(again.description, described.description);

    const otherBuild = countingHost(cacheDir, { identitySuffix: "|rebuilt", refuseStart: true });
    await assert.rejects(describeRuntimeCached(otherBuild, { kind: "bundled" }, { kilnVersion: "1.0" }), /refused start/);
    assert.ok(otherBuild.starts > 0, "another build of the runtime is asked afresh");

    const otherKiln = countingHost(cacheDir, { refuseStart: true });
    await assert.rejects(describeRuntimeCached(otherKiln, { kind: "bundled" }, { kilnVersion: "2.0" }), /refused start/);
    assert.ok(otherKiln.starts > 0, "another kiln asks afresh");

    const directory = join(cacheDir, "runtime-descriptions");
    for (const name of readdirSync(directory)) writeFileSync(join(directory, name), "{not json");
    const corrupt = countingHost(cacheDir, { refuseStart: true });
    await assert.rejects(describeRuntimeCached(corrupt, { kind: "bundled" }, { kilnVersion: "1.0" }), /refused start/);
    assert.ok(corrupt.starts > 0, "an unreadable entry is not trusted");
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});
