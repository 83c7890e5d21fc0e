import { strict as assert } from "node:assert";
import { rmSync } from "node:fs";
import { dirname } from "node:path";
import { test } from "node:test";
import { compareSuites, realProjects, runKilnTest, runNative, unpackSdist } from "./real-projects.js";

// Live: real projects' own suites from their sdists on the public index, under kiln test and
// natively with pytest. Every difference must have a named cause (bench/test/project-suites.ts
// runs all of docs/project-suites.md's projects).

for (const name of ["iniconfig", "six"]) {
  test(`${name}'s own test suite: kiln test agrees with native pytest up to named WASM limitations`, () => {
    const project = realProjects.find((p) => p.name === name)!;
    const nativeDir = unpackSdist(project);
    const wasmDir = unpackSdist(project);
    try {
      const native = runNative(project, nativeDir);
      const wasm = runKilnTest(wasmDir);
      const differences = compareSuites(native.report, wasm.report);
      assert.deepEqual(differences.filter((d) => d.reason === undefined), [], `unexplained differences:\n${wasm.output}`);
      assert.ok(wasm.report.passed > 0 && wasm.report.passed >= native.report.passed - differences.length);
      assert.equal(wasm.code, wasm.report.failed + wasm.report.errors > 0 ? 1 : 0);
      if (name === "iniconfig") assert.deepEqual(differences, []);
      if (name === "six") assert.ok(differences.some((d) => d.test === "test_six::test_getoutput" && d.reason === "WASM limitation: subprocesses"));
    } finally {
      rmSync(dirname(nativeDir), { recursive: true, force: true });
      rmSync(dirname(wasmDir), { recursive: true, force: true });
    }
  });
}
