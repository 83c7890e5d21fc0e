import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { formatMarker } from "./format-marker.js";
import { parseMarker, tryParseMarker } from "./parse-marker.js";

// [input, canonical form]; the canonical forms are what packaging 26.3 prints for str(Marker(input)).
const valid: [string, string][] = [
  [`python_version >= "3.9"`, `python_version >= "3.9"`],
  [`python_version>='3.9'`, `python_version >= "3.9"`],
  [`os.name == 'nt'`, `os_name == "nt"`],
  [`sys.platform == 'linux'`, `sys_platform == "linux"`],
  [`platform.python_implementation == 'CPython'`, `platform_python_implementation == "CPython"`],
  [`python_implementation == 'PyPy'`, `platform_python_implementation == "PyPy"`],
  [`"3.9" <= python_version`, `"3.9" <= python_version`],
  [`(os_name == "nt")`, `os_name == "nt"`],
  [`(os_name == "nt") and python_version < "3"`, `os_name == "nt" and python_version < "3"`],
  [`((a_b == "x" or os_name == "y"))`.replace("a_b", "os_name"), `os_name == "x" or os_name == "y"`],
  [`((os_name == "x" or os_name == "y")) and extra == "t"`, `(os_name == "x" or os_name == "y") and extra == "t"`],
  [`os_name == "a" and (sys_platform == "b" or sys_platform == "c")`, `os_name == "a" and (sys_platform == "b" or sys_platform == "c")`],
  [`extra == "Foo_Bar.baz"`, `extra == "foo-bar-baz"`],
  [`"Foo_Bar" == extra`, `"foo-bar" == extra`],
  [`"Dev_Group" in dependency_groups`, `"dev-group" in dependency_groups`],
  [`"Test" not in extras`, `"test" not in extras`],
  [`'linux' in sys_platform`, `"linux" in sys_platform`],
  [`platform_machine not   in 'x86_64 aarch64'`, `platform_machine not in "x86_64 aarch64"`],
  [`implementation_name === "cpython"`, `implementation_name === "cpython"`],
  [`platform_release ~= "5.0"`, `platform_release ~= "5.0"`],
  [`os_name=='nt'or os_name=='posix'`, `os_name == "nt" or os_name == "posix"`],
  [`os_name == 'say "hi"'`, `os_name == 'say "hi"'`],
  [`os_name == "\\x41"`, `os_name == "A"`],
  ["\tos_name == 'nt' ", `os_name == "nt"`],
];

test("parseMarker accepts the spec's forms and formatMarker prints the canonical form", () => {
  for (const [input, canonical] of valid) {
    const marker = parseMarker(input);
    assert.equal(formatMarker(marker), canonical, input);
    // The canonical form is a fixed point (redundant parentheses are gone after the first pass).
    assert.equal(formatMarker(parseMarker(canonical)), canonical, input);
  }
});

test("parseMarker builds a tree that keeps the author's grouping", () => {
  assert.deepEqual(parseMarker(`os_name == "a" or (extra == "B")`), {
    kind: "marker",
    operators: ["or"],
    terms: [
      { kind: "comparison", left: { kind: "variable", name: "os_name" }, operator: "==", right: { kind: "string", value: "a" } },
      {
        kind: "marker",
        operators: [],
        terms: [{ kind: "comparison", left: { kind: "variable", name: "extra" }, operator: "==", right: { kind: "string", value: "b" } }],
      },
    ],
  });
});

const invalid: [string, RegExp][] = [
  ["", /expected a marker variable or a quoted string, found the end at column 1/],
  [`os_name`, /expected a marker operator.* at column 8/],
  [`os_name = "nt"`, /expected a marker operator.* at column 9/],
  [`os_name == `, /found the end at column 12/],
  [`os_name == "nt`, /unterminated quoted string \(no closing "\) at column 12/],
  [`python_versions == "3"`, /unknown marker variable "python_versions"/],
  [`os_name == "nt" and`, /found the end at column 20/],
  [`os_name == "nt" xor os_name == "a"`, /expected end of marker expression at column 17/],
  [`(os_name == "nt"`, /expected "\)" to close the "\(" at column 1 at column 17/],
  [`os_name not "nt"`, /expected whitespace after "not"|expected "in" after "not"/],
  [`os_name notin "nt"`, /expected a marker operator/],
  [`os_name == "a\nb"`, /invalid quoted string \(a line break/],
  [`os_name == "nt";`, /expected end of marker expression at column 16/],
  ["(".repeat(500) + `os_name == "nt"` + ")".repeat(500), /nested more than 100 deep/],
];

test("parseMarker rejects malformed markers with the position of the problem", () => {
  for (const [input, message] of invalid) {
    assert.throws(() => parseMarker(input), (error) => isKilnError(error, "invalidMarker") && message.test(error.message), input);
    assert.equal(tryParseMarker(input), undefined);
  }
});
