import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { readBuildSystem } from "./read-build-system.js";

const legacy = { requires: ["setuptools>=40.8.0"], buildBackend: "setuptools.build_meta:__legacy__", backendPath: [], legacy: true };

const accepted: Array<{ name: string; toml: string | undefined; expected: object }> = [
  { name: "no pyproject.toml", toml: undefined, expected: legacy },
  { name: "a pyproject.toml without [build-system]", toml: '[project]\nname = "x"\n', expected: legacy },
  {
    name: "requires without build-backend",
    toml: '[build-system]\nrequires = ["setuptools>=61", "wheel"]\n',
    expected: { ...legacy, requires: ["setuptools>=61", "wheel"] },
  },
  {
    name: "flit-core",
    toml: '[build-system]\nrequires = ["flit_core >=3.2,<4"]\nbuild-backend = "flit_core.buildapi"\n',
    expected: { requires: ["flit_core >=3.2,<4"], buildBackend: "flit_core.buildapi", backendPath: [], legacy: false },
  },
  {
    name: "an in-tree backend",
    toml: '[build-system]\nrequires = []\nbuild-backend = "backend:api"\nbackend-path = ["./_build/", "tools/../lib"]\n',
    expected: { requires: [], buildBackend: "backend:api", backendPath: ["_build", "lib"], legacy: false },
  },
  {
    name: "a marker in requires",
    toml: `[build-system]\nrequires = ["hatchling", "tomli; python_version < '3.11'"]\nbuild-backend = "hatchling.build"\n`,
    expected: { requires: ["hatchling", "tomli; python_version < '3.11'"], buildBackend: "hatchling.build", backendPath: [], legacy: false },
  },
];

for (const item of accepted) {
  test(`reads the build system of ${item.name}`, () => {
    assert.deepEqual(readBuildSystem(item.toml, "/src/x"), item.expected);
  });
}

const refused: Array<{ name: string; toml: string; message: RegExp }> = [
  { name: "broken TOML", toml: "[build-system\nrequires = [", message: /not valid TOML/ },
  { name: "a [build-system] without requires", toml: '[build-system]\nbuild-backend = "hatchling.build"\n', message: /no requires key/ },
  { name: "requires that is a string", toml: '[build-system]\nrequires = "hatchling"\n', message: /not a list of strings/ },
  { name: "an invalid requirement", toml: '[build-system]\nrequires = ["hatchling >= = 1"]\n', message: /not a PEP 508 requirement/ },
  { name: "a build-backend that is not a reference", toml: '[build-system]\nrequires = []\nbuild-backend = "hatchling build"\n', message: /not a "module:object"/ },
  { name: "a build-backend that is a number", toml: "[build-system]\nrequires = []\nbuild-backend = 3\n", message: /not a "module:object"/ },
  { name: "an absolute backend-path", toml: '[build-system]\nrequires = []\nbuild-backend = "b"\nbackend-path = ["/etc"]\n', message: /outside the project/ },
  { name: "an escaping backend-path", toml: '[build-system]\nrequires = []\nbuild-backend = "b"\nbackend-path = ["a/../../x"]\n', message: /outside the project/ },
  { name: "a [build-system] that is not a table", toml: 'build-system = "setuptools"\n', message: /not a table/ },
];

for (const item of refused) {
  test(`refuses ${item.name}`, () => {
    assert.throws(
      () => readBuildSystem(item.toml, "/src/x"),
      (error: unknown) => isKilnError(error, "invalidPyproject") && item.message.test(error.message) && error.message.includes("/src/x") && Boolean(error.hint),
    );
  });
}
