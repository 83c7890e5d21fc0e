import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { compiledStdlibName } from "../runtime/index.js";
import { createNodeRuntimeHost } from "./node-runtime-host.js";

// The end of central directory record of an empty zip file: the smallest archive that reads whole.
const emptyZip = Uint8Array.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]);

test("a host locates a runtime once, but sees a compiled standard library written after that", async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), "kiln-host-"));
  try {
    const host = createNodeRuntimeHost({ env: {}, cwd: cacheDir, cacheDir });
    const first = await host.locateRuntime({ kind: "bundled" });
    assert.equal(first.stdlib, undefined);
    const again = await host.locateRuntime({ kind: "bundled" });
    assert.equal(again.loadPyodide, first.loadPyodide, "the same location, not a second look");
    mkdirSync(join(cacheDir, "stdlib"), { recursive: true });
    writeFileSync(join(cacheDir, "stdlib", compiledStdlibName(first.buildIdentity)), emptyZip);
    const compiled = await host.locateRuntime({ kind: "bundled" });
    assert.equal(compiled.buildIdentity, first.buildIdentity);
    assert.equal(compiled.stdlib?.url, join(cacheDir, "stdlib", compiledStdlibName(first.buildIdentity)));
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test("startProfiles: false leaves start profiles out, whatever the environment says", () => {
  const host = createNodeRuntimeHost({ env: {}, cwd: "/", cacheDir: "/nonexistent" });
  const without = createNodeRuntimeHost({ env: {}, cwd: "/", cacheDir: "/nonexistent", startProfiles: false });
  assert.equal(without.startProfiles, undefined);
  assert.equal(createNodeRuntimeHost({ env: { KILN_START_PROFILE: "off" }, cwd: "/", cacheDir: "/nonexistent" }).startProfiles, undefined);
  if (/^11\./.test(process.versions.v8)) assert.notEqual(host.startProfiles, undefined, "on a V8 that takes them, profiles are used by default");
});
