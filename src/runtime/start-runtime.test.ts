import { strict as assert } from "node:assert";
import { test } from "node:test";
import { preloadNames, type PreloadRequest } from "./preload-snapshot.js";
import type { RuntimeFiles, RuntimeHost } from "./runtime-host.js";
import { snapshotKey } from "./snapshot-key.js";
import { startRuntime } from "./start-runtime.js";
import { defaultStartupConfig } from "./startup-config.js";
import { kilnMainSource } from "./kiln-main-source.js";
import { fakeRuntimeHost } from "../../test/support/fake-runtime-host.js";

/** A runtime whose Pyodide answers only what a start asks of it (the driver is "already there"). */
function fakeFiles(loads: Array<Record<string, unknown>>): RuntimeFiles {
  return {
    pyodideVersion: "314.0.0",
    indexURL: "/fake/",
    buildIdentity: "fake-build",
    loadPyodide: async (options) => {
      loads.push(options);
      return { runPython: () => true };
    },
  };
}

function fakeHost(files: RuntimeFiles, reads: string[]): RuntimeHost {
  return fakeRuntimeHost({
    locateRuntime: async () => files,
    snapshots: {
      read: async (key) => {
        reads.push(key);
        return undefined;
      },
      write: async () => undefined,
      remove: async () => undefined,
    },
  });
}

test("startRuntime without a preparation checks a refused preload once, and takes the preload snapshot", async () => {
  const loads: Array<Record<string, unknown>> = [];
  const reads: string[] = [];
  const files = fakeFiles(loads);
  const preload: PreloadRequest = {
    modules: ["pytest"],
    venv: { prefix: "/v", sitePackages: "/v/lib/python3.14/site-packages", includeSystemSitePackages: false },
    searchedFirst: ["/w"],
    warnOptions: [],
    env: {},
  };
  const runtime = await startRuntime(fakeHost(files, reads), { preload });
  const baseKey = snapshotKey({ buildIdentity: files.buildIdentity, startup: defaultStartupConfig, driverSource: kilnMainSource });
  const manifest = preloadNames(baseKey, preload).manifest;
  assert.equal(reads.filter((key) => key === manifest).length, 1, `manifest reads: ${JSON.stringify(reads)}`);
  assert.deepEqual(runtime.preload, { state: "wanted", baseKey });
  assert.equal(loads.length, 1);
  assert.equal(loads[0]!._makeSnapshot, true);
});

// Emscripten ends a failed start with an ExitStatus, an object that is not an Error: its message
// must reach the user, not "[object Object]".
const startFailures: [string, unknown, RegExp][] = [
  ["an Error", new Error("bad wasm\nmore detail"), /from \/fake\/: bad wasm$/],
  ["an ExitStatus-like object", { name: "ExitStatus", message: "Program terminated with exit(1)", status: 1 }, /from \/fake\/: Program terminated with exit\(1\)$/],
  ["an object without a message", { status: 7 }, /from \/fake\/: \{"status":7\}$/],
  ["a string", "plain failure", /from \/fake\/: plain failure$/],
];

for (const [label, thrown, message] of startFailures) {
  test(`a start that fails with ${label} is a runtimeStart error that says why`, async () => {
    const files: RuntimeFiles = { ...fakeFiles([]), loadPyodide: () => Promise.reject(thrown) };
    await assert.rejects(startRuntime(fakeHost(files, []), {}), (error: Error & { code?: string }) => {
      assert.equal(error.code, "runtimeStart");
      assert.match(error.message, message);
      return true;
    });
  });
}
