import { strict as assert } from "node:assert";
import { test } from "node:test";
import { snapshotBuildIdentity, snapshotKey } from "./snapshot-key.js";
import { preloadKey } from "./preload-snapshot.js";

const base = { buildIdentity: "314.0.7|/p|x", startup: { args: [], env: {} }, driverSource: "print(1)" };

test("snapshot keys differ by every input that makes a snapshot unusable", () => {
  const variants: Array<[string, Parameters<typeof snapshotKey>[0]]> = [
    ["build", { ...base, buildIdentity: "314.0.8|/p|x" }],
    ["options", { ...base, startup: { args: ["-u"], env: {} } }],
    ["variables", { ...base, startup: { args: [], env: { PYTHONUTF8: "1" } } }],
    ["driver", { ...base, driverSource: "print(2)" }],
    ["compiled standard library", { ...base, stdlib: "stdlib-1.zip:100:5" }],
    ["another compiled standard library", { ...base, stdlib: "stdlib-1.zip:100:6" }],
  ];
  const keys = new Set([snapshotKey(base), ...variants.map(([, options]) => snapshotKey(options))]);
  assert.equal(keys.size, variants.length + 1);
});

test("a runtime's own standard library leaves the key as it was, so existing snapshots stay valid", () => {
  assert.equal(
    snapshotKey(base),
    JSON.stringify({ format: 1, build: base.buildIdentity, args: [], env: {}, driver: JSON.parse(snapshotKey(base)).driver }),
  );
  assert.doesNotMatch(snapshotKey(base), /stdlib/);
});

test("snapshotBuildIdentity reads the build of a runtime snapshot's key and of a preload snapshot's", () => {
  const key = snapshotKey(base);
  const preload = preloadKey(key, { modules: ["pytest"], venv: { prefix: "/v", sitePackages: "/v/site", includeSystemSitePackages: false }, searchedFirst: [], warnOptions: [], env: {} }, "{}");
  const cases: Array<[string, string | undefined]> = [
    [key, "314.0.7|/p|x"],
    [preload, "314.0.7|/p|x"],
    ["{}", undefined],
    [JSON.stringify({ preload: { base: "not json" } }), undefined],
    ["not json", undefined],
  ];
  for (const [input, expected] of cases) assert.equal(snapshotBuildIdentity(input), expected, input);
});
