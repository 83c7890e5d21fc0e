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
  [["lib>2,<1"], [], { name: "lib", texts: ["lib>2,<1"] }],
  [["lib===not-a-version"], [], { name: "lib", texts: ["lib===not-a-version"] }],
  [["lib===2.0", "lib<3"], [], undefined],
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

test("rangeOf turns === into the version it names, as the resolver's candidates are versions", async () => {
  const { rangeOf } = await import("./pep440-algebra.js");
  const { parseVersion } = await import("../pep440/index.js");
  assert.ok(rangeOf("===2.0").contains(parseVersion("2.0")));
  assert.ok(!rangeOf("===2.0").contains(parseVersion("2.1")));
  assert.ok(rangeOf("===foo").isEmpty());
});
