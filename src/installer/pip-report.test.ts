import { strict as assert } from "node:assert";
import { evaluateMarker, parseMarker, parseRequirement, tryParseRequirement } from "../pep508/index.js";
import { test } from "node:test";
import { metadataToJson } from "./pip-report.js";
import { stripRequiresDist } from "./without-dependencies.js";
import { checkInstalled, formatBrokenRequirement, markerOnlyForAnExtra, onlyForAnExtra, type BrokenRequirement } from "./check-installed.js";
import { targetForAbi } from "../resolver/index.js";

test("metadataToJson follows PEP 566's JSON form as pip writes it", () => {
  const text = "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nKeywords: a, b\nClassifier: X\nClassifier: Y\nRequires-Dist: lib>=1\nX-Unknown: dropped\n\nLong text\n";
  assert.deepEqual(metadataToJson(text), {
    metadata_version: "2.1",
    name: "demo",
    version: "1.0",
    keywords: ["a", "b"],
    classifier: ["X", "Y"],
    requires_dist: ["lib>=1"],
    description: "Long text\n",
  });
  assert.deepEqual(metadataToJson("Name: d\nKeywords: one two\n").keywords, ["one", "two"]);
});

test("stripRequiresDist drops Requires-Dist and its continuation lines, not the body", () => {
  const cases: Array<[string, string]> = [
    ["Name: a\nRequires-Dist: b\nVersion: 1\n\nRequires-Dist: kept in body\n", "Name: a\nVersion: 1\n\nRequires-Dist: kept in body\n"],
    ["Name: a\nrequires-dist: b;\n  python_version > '3'\nSummary: s\n", "Name: a\nSummary: s\n"],
    ["Name: a\r\nRequires-Dist: b\r\n\r\n", "Name: a\r\n\r\n"],
  ];
  for (const [input, expected] of cases) assert.equal(stripRequiresDist(input), expected);
});

test("checkInstalled reports missing and conflicting dependencies, with markers for the target", () => {
  const dist = (name: string, version: string, requires: string[] = []) => ({
    name,
    version,
    metadata: `Name: ${name}\nVersion: ${version}\n${requires.map((r) => `Requires-Dist: ${r}\n`).join("")}\n`,
  });
  const installed = [
    dist("app", "1.0", ["lib>=2", "gone", "winonly; sys_platform == 'win32'", "wasm; sys_platform == 'emscripten'", "opt; extra == 'x'"]),
    dist("lib", "1.5"),
    dist("wasm", "1.0rc1", ["lib>=1"]),
  ];
  assert.deepEqual(checkInstalled(installed, targetForAbi("2026_0").markerEnvironment).map(formatBrokenRequirement), [
    "app 1.0 has requirement lib>=2, but you have lib 1.5.",
    "app 1.0 requires gone, which is not installed.",
  ]);
});

test("checkInstalled finds the same problems from Requires-Dist given parsed as from METADATA text", () => {
  const requires: Record<string, string[]> = {
    app: ["lib>=2", "gone", "winonly; sys_platform == 'win32'", "wasm; sys_platform == 'emscripten'", "opt; extra == 'x'", "brotli; platform_python_implementation == 'CPython' and extra == 'b'"],
    lib: [],
    wasm: ["lib>=1", "app<1"],
  };
  const versions: Record<string, string> = { app: "1.0", lib: "1.5", wasm: "1.0rc1" };
  const asText = Object.keys(requires).map((name) => ({ name, version: versions[name]!, metadata: `Name: ${name}\nVersion: ${versions[name]}\n${requires[name]!.map((r) => `Requires-Dist: ${r}\n`).join("")}\n` }));
  const asParsed = Object.keys(requires).map((name) => ({ name, version: versions[name]!, metadata: "", requirements: requires[name]!.map((text) => parseRequirement(text)) }));
  const environment = targetForAbi("2026_0").markerEnvironment;
  const kinds = (broken: BrokenRequirement[]) => broken.map(({ kind, name, dependency }) => [kind, name, dependency]);
  const fromText = checkInstalled(asText, environment);
  const fromParsed = checkInstalled(asParsed, environment);
  assert.deepEqual(kinds(fromParsed), kinds(fromText));
  assert.deepEqual(kinds(fromText), [["conflict", "app", "lib"], ["missing", "app", "gone"], ["conflict", "wasm", "app"]]);
  // The texts of parsed requirements are packaging's formatting of them.
  assert.deepEqual(fromParsed.map(formatBrokenRequirement), fromText.map(formatBrokenRequirement));
});

test("onlyForAnExtra skips exactly the requirements the check would parse and find not to apply", () => {
  const environment = targetForAbi("2026_0").markerEnvironment;
  // What parsing and evaluating says, without extras (as the check evaluates).
  const applies = (text: string) => {
    const requirement = tryParseRequirement(text);
    return requirement !== undefined && (requirement.marker === undefined || evaluateMarker(requirement.marker, environment));
  };
  const cases: [string, boolean][] = [
    ['pytest>=8; extra == "test"', true],
    ["pytest ; extra=='test'", true],
    ['pytest[a,b] (>=8) ;\textra  ==  "dev"  ', true],
    ["pkg @ https://host/pkg;v=1.whl ; extra == 'x'", true],
    ['pkg ; python_version > "3" ; extra == "a"', true],
    ['pkg; extra == ""', false],
    ['pkg; extra === "a"', false],
    ['pkg; "a" == extra', false],
    ['pkg; extra == "a" or sys_platform == "emscripten"', false],
    ["brotli; platform_python_implementation == 'CPython' and extra == 'brotli'", false],
    ['pkg; sys_platform == "; extra == "', false],
    ["pkg; platform_version == \"a; extra == 'b'\"", false],
    ["pkg", false],
    ['pkg; sys_platform == "emscripten"', false],
  ];
  for (const [text, skipped] of cases) {
    assert.equal(onlyForAnExtra(text), skipped, text);
    if (skipped) assert.equal(applies(text), false, `${text} is skipped, so it must not apply`);
  }
  assert.equal(applies('pkg; extra == ""'), true, "an empty extra name is the one that applies without extras");
});


test("markerOnlyForAnExtra skips parsed markers that never apply without extras, and only those", () => {
  const environment = targetForAbi("2026_0").markerEnvironment;
  const cases: [string, boolean][] = [
    ['extra == "test"', true],
    ["'test' == extra", true],
    ["python_version < '3.14' and extra == 'zstd'", true],
    ["(platform_python_implementation == 'CPython') and extra == 'brotli'", true],
    ['sys_platform == "emscripten" and extra == "a" and os_name == "posix"', true],
    ['extra == ""', false],
    ['extra === "a"', false],
    ['extra != "a"', false],
    ['extra == "a" or sys_platform == "emscripten"', false],
    ['sys_platform == "emscripten" or python_version > "3" and extra == "a"', false],
    ['(extra == "a")', false],
    ['sys_platform == "emscripten"', false],
    ['"extra" == "a"', false],
  ];
  for (const [text, skipped] of cases) {
    const marker = parseMarker(text);
    assert.equal(markerOnlyForAnExtra(marker), skipped, text);
    if (skipped) assert.equal(evaluateMarker(marker, environment), false, `${text} is skipped, so it must not apply`);
  }
  for (const value of [undefined, null, "extra", { kind: "marker" }, { kind: "marker", terms: [{}], operators: [] }]) assert.equal(markerOnlyForAnExtra(value), false);
});
