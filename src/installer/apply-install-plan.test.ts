import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { makeWheel } from "../../test/installer/make-wheel.js";
import { isKilnError } from "../core/index.js";
import type { DistributionFile, PackageSource } from "../index/index.js";
import { applyInstallPlan } from "./apply-install-plan.js";
import type { FileDigests } from "./file-digests.js";
import { venvScheme } from "./install-scheme.js";
import { memoryFileSystem } from "./memory-file-system.js";
import type { PlannedPackage } from "./plan-install.js";
import { UnpackedWheelCache } from "./unpacked-wheel-cache.js";

const wheel = makeWheel({ name: "demo", version: "1.0", files: { "demo/__init__.py": "x = 1\n" } });
const sha256 = createHash("sha256").update(wheel.bytes).digest("hex");

/** A source serving one wheel, counting how often its bytes are fetched. */
function countingSource(file: DistributionFile): PackageSource & { fetched: number } {
  return {
    name: "test",
    url: "test:",
    fetched: 0,
    listFiles: async () => [file],
    fetchMetadata: async () => "",
    async fetchFile() {
      this.fetched++;
      return wheel.bytes;
    },
  };
}

function planned(file: DistributionFile): PlannedPackage {
  return { name: "demo", displayName: "demo", version: "1.0", action: "install", wheel: file, alternatives: [], requested: true, direct: false, extras: [], dependencies: [] };
}

function memoryDigests(): FileDigests & { recorded: Map<string, string> } {
  const recorded = new Map<string, string>();
  return { recorded, get: async (url) => recorded.get(url), beforeRead: async (url) => async (digest) => void recorded.set(url, digest) };
}

test("a wheel the cache holds is not fetched again: by its listed sha256, or a local one by its remembered digest", async (t) => {
  const cases: { name: string; file: DistributionFile; digests: boolean; fetches: number[] }[] = [
    { name: "listed sha256 (an index)", file: { filename: wheel.filename, url: "https://example.test/demo.whl", hashes: { sha256 }, indexUrl: "" }, digests: false, fetches: [1, 0] },
    { name: "local file, digest remembered", file: { filename: wheel.filename, url: "file:///wheels/demo.whl", hashes: {}, indexUrl: "" }, digests: true, fetches: [1, 0] },
    { name: "local file, no digests kept", file: { filename: wheel.filename, url: "file:///wheels/demo.whl", hashes: {}, indexUrl: "" }, digests: false, fetches: [1, 1] },
  ];
  for (const { name, file, digests, fetches } of cases) {
    await t.test(name, async () => {
      const fs = memoryFileSystem();
      const wheelCache = new UnpackedWheelCache({ fs, root: "/cache/unpacked-v1" });
      const source = countingSource(file);
      const fileDigests = digests ? { fileDigests: memoryDigests() } : {};
      const counts: number[] = [];
      for (const prefix of ["/env1", "/env2"]) {
        const before = source.fetched;
        const result = await applyInstallPlan([planned(file)], { source, scheme: venvScheme(prefix, "3.14"), fs, wheelCache, ...fileDigests });
        assert.equal(result.installed[0]!.name, "demo");
        counts.push(source.fetched - before);
      }
      assert.deepEqual(counts, fetches);
    });
  }
});

test("hash-checking mode: a remembered digest the requirements allow is used; any other is read and refused", async () => {
  const file: DistributionFile = { filename: wheel.filename, url: "file:///wheels/demo.whl", hashes: {}, indexUrl: "" };
  const fs = memoryFileSystem();
  const source = countingSource(file);
  const options = { source, fs, wheelCache: new UnpackedWheelCache({ fs, root: "/cache/unpacked-v1" }), fileDigests: memoryDigests(), requiredHashes: new Map([["demo", [`sha256:${sha256}`]]]) };
  await applyInstallPlan([planned(file)], { ...options, scheme: venvScheme("/env1", "3.14") });
  await applyInstallPlan([planned(file)], { ...options, scheme: venvScheme("/env2", "3.14") });
  assert.equal(source.fetched, 1);
  const other = { ...options, requiredHashes: new Map([["demo", [`sha256:${"0".repeat(64)}`]]]) };
  await assert.rejects(applyInstallPlan([planned(file)], { ...other, scheme: venvScheme("/env3", "3.14") }), (error: unknown) => isKilnError(error, "hashMismatch"));
  assert.equal(source.fetched, 2);
  assert.equal(await fs.exists("/env3/lib/python3.14/site-packages/demo"), false);
});
