import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { evaluateMarker } from "./evaluate-marker.js";
import type { MarkerEnvironment } from "./marker-environment.js";
import { parseMarker } from "./parse-marker.js";

const pyodide: MarkerEnvironment = {
  implementation_name: "cpython",
  implementation_version: "3.14.2",
  os_name: "posix",
  platform_machine: "wasm32",
  platform_python_implementation: "CPython",
  platform_release: "5.0.3",
  platform_system: "Emscripten",
  platform_version: "#1",
  python_full_version: "3.14.2",
  python_version: "3.14",
  sys_platform: "emscripten",
};

// [marker, expected, environment changes, extras]; expectations checked against packaging 26.3.
const cases: [string, boolean, Partial<MarkerEnvironment>?, string[]?][] = [
  [`sys_platform == "emscripten"`, true],
  [`sys_platform != "emscripten"`, false],
  [`python_version >= "3.9"`, true],
  [`python_version < "3.10"`, false],
  [`python_version > "3.9"`, true],
  [`python_full_version >= "3.14.0rc1"`, true],
  [`python_full_version == "3.14.*"`, true],
  [`python_version ~= "3.12"`, true],
  [`"3.9" <= python_version`, true],
  [`python_version === "3.14"`, true],
  [`python_version >= "3.9-dev-x"`, false],
  [`platform_release >= "4"`, true],
  [`platform_release < "5.0.3"`, false],
  [`platform_release > "4.0.9"`, false, { platform_release: "5.0.3-custom" }],
  [`platform_release >= "4.0.9"`, false, { platform_release: "5.0.3-custom" }],
  [`platform_release == "5.0.3-custom"`, true, { platform_release: "5.0.3-custom" }],
  [`os_name < "z"`, false],
  [`os_name <= "posix"`, true],
  [`os_name >= "posix"`, true],
  [`"wasm" in platform_machine`, true],
  [`platform_machine not in "x86_64 aarch64"`, true],
  [`python_version in "3.13 3.14"`, true],
  [`extra == "test"`, false],
  [`extra == "test"`, true, {}, ["Test"]],
  [`extra == "Dev_Tools"`, true, {}, ["dev.tools"]],
  [`extra != "test"`, true],
  [`extra == "test" or extra == "doc"`, true, {}, ["doc", "other"]],
  [`extra == "test" and extra == "doc"`, false, {}, ["doc", "test"]],
  [`os_name == "nt" or sys_platform == "emscripten" and python_version >= "3.14"`, true],
  [`(os_name == "nt" or sys_platform == "emscripten") and python_version < "3.14"`, false],
  [`os_name == "posix" and python_version < "3" or platform_machine == "wasm32"`, true],
  [`"Test" in extras`, true, { extras: ["test", "doc"] }],
  [`"test" not in extras`, false, { extras: ["TEST"] }],
  [`"dev" in dependency_groups`, false, { dependency_groups: [] }],
  [`python_full_version >= "3.14.2"`, true, { python_full_version: "3.14.2+" }],
];

test("evaluateMarker follows packaging's evaluation rules", () => {
  for (const [text, expected, changes = {}, extras] of cases) {
    const options = extras === undefined ? {} : { extras };
    assert.equal(evaluateMarker(parseMarker(text), { ...pyodide, ...changes }, options), expected, `${text} ${JSON.stringify(changes)} ${extras ?? ""}`);
  }
});

const undefinedComparisons: [string, RegExp, Partial<MarkerEnvironment>?][] = [
  [`os_name ~= "posix"`, /"~=" needs PEP 440 versions/],
  [`os_name === "posix"`, /"===" needs PEP 440 versions/],
  [`python_version ~= "3"`, /"~=" needs PEP 440 versions/],
  [`"a" == "b"`, /two quoted strings/],
  [`extras == "a"`, /set-valued "extras"/, { extras: ["a"] }],
  [`"a" in extras`, /"extras" is not set/],
  [`"a" ~= dependency_groups`, /not defined for a set/, { dependency_groups: ["a"] }],
];

test("evaluateMarker refuses comparisons the spec leaves undefined", () => {
  for (const [text, message, changes = {}] of undefinedComparisons) {
    assert.throws(
      () => evaluateMarker(parseMarker(text), { ...pyodide, ...changes }),
      (error) => isKilnError(error, "invalidMarkerEvaluation") && message.test(error.message),
      text,
    );
  }
});
