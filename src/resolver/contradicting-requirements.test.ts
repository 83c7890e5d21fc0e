import { strict as assert } from "node:assert";
import { test } from "node:test";
import { contradictingRequirements } from "./contradicting-requirements.js";
import { targetForAbi } from "./target-environment.js";

const environment = targetForAbi().markerEnvironment;

const cases: Array<[string[], string[], ReturnType<typeof contradictingRequirements>]> = [
  [["lib>=2", "lib<2"], [], { name: "lib", texts: ["lib>=2", "lib<2"] }],
  [["Lib_X==1.0", "lib-x[extra]!=1.0"], [], { name: "lib-x", texts: ["Lib_X==1.0", "lib-x[extra]!=1.0"] }],
  [["lib>=2.1"], ["lib<2"], { name: "lib", texts: ["lib>=2.1", "the constraint lib<2"] }],
  [["lib>=2", "lib<3"], [], undefined],
  [["lib>=2", "lib<2; sys_platform == 'win32'"], [], undefined],
  [["lib>=2", "lib<2; sys_platform == 'emscripten'"], [], { name: "lib", texts: ["lib>=2", "lib<2; sys_platform == 'emscripten'"] }],
  [["other"], ["lib<2", "lib>=2"], undefined],
  [["lib==1.0", "lib @ https://example.org/lib-2.0-py3-none-any.whl"], [], undefined],
];

for (const [requirements, constraints, expected] of cases) {
  test(`contradictingRequirements(${JSON.stringify(requirements)}, ${JSON.stringify(constraints)})`, () => {
    assert.deepEqual(contradictingRequirements(requirements, constraints, environment), expected);
  });
}
