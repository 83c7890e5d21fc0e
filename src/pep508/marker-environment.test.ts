import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { hostPython } from "../../test/support/host-python.js";
import { markerEnvironmentKeys, markerEnvironmentScript, parseMarkerEnvironment } from "./marker-environment.js";

test("markerEnvironmentScript prints what packaging.markers.default_environment() gives", () => {
  const ours = spawnSync(hostPython, ["-c", markerEnvironmentScript], { encoding: "utf8" });
  const reference = spawnSync(
    hostPython,
    ["-c", "import json; from packaging.markers import default_environment; print(json.dumps(default_environment()))"],
    { encoding: "utf8" },
  );
  assert.equal(ours.status, 0, ours.stderr);
  assert.equal(reference.status, 0, reference.stderr);
  assert.deepEqual(parseMarkerEnvironment(JSON.parse(ours.stdout)), JSON.parse(reference.stdout));
});

test("parseMarkerEnvironment checks every variable", () => {
  const complete = Object.fromEntries(markerEnvironmentKeys.map((key) => [key, "x"]));
  assert.deepEqual(parseMarkerEnvironment({ ...complete, extras: ["a"], unrelated: 1 }), { ...complete, extras: ["a"] });
  for (const bad of [null, [], "text", { ...complete, sys_platform: 3 }, { ...complete, python_version: undefined }, { ...complete, extras: "a" }]) {
    assert.throws(() => parseMarkerEnvironment(bad, "test"), (error) => isKilnError(error, "invalidMarkerEvaluation"));
  }
});
