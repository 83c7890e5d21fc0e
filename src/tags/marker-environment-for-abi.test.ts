import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { markerEnvironmentForAbi } from "./marker-environment-for-abi.js";
import { pyodideAbis } from "./pyodide-abi.js";

test("markerEnvironmentForAbi gives DESIGN.md's marker values for every ABI", () => {
  for (const abi of pyodideAbis) {
    const environment = markerEnvironmentForAbi(abi);
    assert.equal(environment.sys_platform, "emscripten");
    assert.equal(environment.platform_system, "Emscripten");
    assert.equal(environment.platform_machine, "wasm32");
    assert.equal(environment.os_name, "posix");
    assert.equal(environment.implementation_name, "cpython");
    assert.equal(environment.platform_python_implementation, "CPython");
    assert.equal(environment.platform_release, abi.emscriptenVersion);
    assert.equal(environment.python_version, abi.python.join("."));
    assert.ok(environment.python_full_version.startsWith(`${environment.python_version}.`));
    assert.equal(environment.implementation_version, environment.python_full_version);
  }
});

test("markerEnvironmentForAbi picks the CPython of a Pyodide release line", () => {
  assert.equal(markerEnvironmentForAbi("2026_0").python_full_version, "3.14.2");
  assert.equal(markerEnvironmentForAbi("pyodide_2024_0_wasm32", { pyodideVersion: "0.26.4" }).python_full_version, "3.12.1");
  assert.equal(markerEnvironmentForAbi("2024_0").python_full_version, "3.12.7");
  assert.throws(() => markerEnvironmentForAbi("2024_0", { pyodideVersion: "0.29.0" }), (error) => isKilnError(error, "unknownAbi"));
  assert.throws(() => markerEnvironmentForAbi("1999_0"), (error) => isKilnError(error, "unknownAbi"));
});
