import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { parseVersion } from "./parse-version.js";
import { parseSpecifier, tryParseSpecifier } from "./specifier.js";
import { parseSpecifierSet, tryParseSpecifierSet } from "./specifier-set.js";

// [specifier set, version, contains with prereleases unset, contains with prereleases: false]
// From PEP 440's "Version specifiers" section unless noted.
const containment: [string, string, boolean, boolean?][] = [
  // Compatible release
  ["~=2.2", "2.3", true],
  ["~=2.2", "3.0", false],
  ["~=2.2", "2.2", true],
  ["~=1.4.5", "1.4.9", true],
  ["~=1.4.5", "1.5.0", false],
  ["~=2.2.post3", "2.9", true],
  ["~=2.2.post3", "2.2", false],
  ["~=1.4.5a4", "1.4.5", true],
  ["~=1.4.5a4", "1.4.5a3", false],
  ["~=2.2.0", "2.3", false],
  ["~=2.2.0", "2.2.9", true],
  // Version matching, post-release and prefix examples
  ["==1.1", "1.1.post1", false],
  ["==1.1.post1", "1.1.post1", true],
  ["==1.1.*", "1.1.post1", true],
  ["==1.1", "1.1.0", true],
  ["==1.1.0", "1.1", true],
  ["==1.1.*", "1.1a1", true, false],
  ["==1.1.*", "1.10", false],
  ["==1.*", "1", true],
  ["==1.0.*", "1", true],
  ["==1.0.*", "1.0.0.0.1", true],
  ["==1!1.*", "1.5", false],
  // Local versions
  ["==1.0", "1.0+local", true],
  ["==1.0+local", "1.0+local", true],
  ["==1.0+local", "1.0", false],
  ["==1.0+local", "1.0+local.1", false],
  ["<=1.0", "1.0+local", true],
  [">=1.0", "1.0+local", true],
  // Exclusion
  ["!=1.1", "1.1.post1", true],
  ["!=1.1.post1", "1.1.post1", false],
  ["!=1.1.*", "1.1.post1", false],
  ["!=1.0", "1.0+local", false],
  ["!=1.0+local", "1.0", true],
  // Exclusive ordered comparison
  [">1.7", "1.7.0.post1", false],
  [">1.7", "1.7+local", false],
  [">1.7", "1.7.1", true],
  [">1.7.post2", "1.7.1", true],
  [">1.7.post2", "1.7.0.post3", true],
  [">1.7.post2", "1.7.0.post2+local", false],
  [">1.7.dev1", "1.7.dev2", true, false],
  [">1.7a1", "1.7a1.post1", false],
  [">1.7a1", "1.7a2.dev0", true, false],
  ["<3.1", "3.1.dev0", false],
  ["<3.1", "3.0.post1", true],
  ["<3.1", "3.1+local", false],
  ["<3.1a2", "3.1a1", true, false],
  ["<2.0", "2.0a1", false],
  ["<2.0", "2.0.dev5", false],
  ["<2.0", "1.9a1", true, false],
  ["<0.dev0", "0.dev0", false],
  // Pre-releases: a single version is judged on its own (packaging 26); false rejects.
  [">=1.0", "2.0a1", true, false],
  ["==1.0a1", "1.0a1", true, false],
  ["", "1.0a1", true, false],
  ["", "2.0", true, true],
  // Arbitrary equality: text identity, case-insensitive
  ["===foobar", "foobar", true, true],
  ["===foobar", "FooBar", true, true],
  ["===1.0", "1.0", true],
  ["===1.0", "1.0.0", false],
  ["===1.0", "1.0+downstream1", false],
  ["===1.0, >=1", "1.0", true],
  ["===1.0a1", "1.0a1", true, false],
  // Not a version: only an empty set or === admits it
  ["", "not a version", true, true],
  [">=1.0", "not a version", false, false],
  ["===not-a-version", "not-a-version", true, true],
  // Set semantics
  [">=1.0, !=1.3.*, <2", "1.4", true],
  [">=1.0, !=1.3.*, <2", "1.3.1", false],
  [">=1.0, !=1.3.*, <2", "2.0", false],
  ["==1.0,!=1.0", "1.0", false],
];

test("SpecifierSet.contains follows PEP 440 and packaging 26", () => {
  for (const [specifiers, version, expected, withoutPrereleases = expected] of containment) {
    const set = parseSpecifierSet(specifiers);
    assert.equal(set.contains(version), expected, `${version} in "${specifiers}"`);
    assert.equal(set.contains(version, { prereleases: true }), expected, `${version} in "${specifiers}" (prereleases)`);
    assert.equal(set.contains(version, { prereleases: false }), withoutPrereleases, `${version} in "${specifiers}" (no prereleases)`);
    const parsed = tryParse(version);
    if (parsed !== undefined && !specifiers.includes("===")) assert.equal(set.contains(parsed), expected, `Version ${version}`);
  }
});

function tryParse(text: string) {
  try {
    return parseVersion(text);
  } catch {
    return undefined;
  }
}

test("Specifier.contains matches a one-specifier set", () => {
  for (const [specifiers, version, expected] of containment) {
    if (specifiers.includes(",") || specifiers === "") continue;
    assert.equal(parseSpecifier(specifiers).contains(version), expected, `${version} in "${specifiers}"`);
  }
});

const validSpecifiers: [string, string, string][] = [
  // [input, operator, version text]
  ["~=2.2", "~=", "2.2"],
  ["~= 2.2", "~=", "2.2"],
  ["  ==  1.0.*  ", "==", "1.0.*"],
  ["!=v1.0+Local", "!=", "v1.0+Local"],
  ["<=1!1.0.post1.dev1", "<=", "1!1.0.post1.dev1"],
  [">=1.0RC1", ">=", "1.0RC1"],
  ["<1", "<", "1"],
  [">1", ">", "1"],
  ["===", "===", ""],
  ["=== foo-bar+baz!", "===", "foo-bar+baz!"],
  ["=====", "===", "=="],
];

test("parseSpecifier accepts packaging's grammar and keeps the version text", () => {
  for (const [input, operator, version] of validSpecifiers) {
    const specifier = parseSpecifier(input);
    assert.equal(specifier.operator, operator, input);
    assert.equal(specifier.version, version, input);
  }
});

const invalidSpecifiers: [string, string][] = [
  ["", "empty"],
  ["1.0", "operator"],
  ["~=1", "two release numbers"],
  ["~=1.0.*", "wildcard"],
  [">=1.0.*", "wildcard"],
  ["<1.0+local", "local"],
  ["~=1.0+local", "local"],
  ["==1.0a1.*", "not a valid version"],
  ["==1.*.0", "not a valid version"],
  ["=1.0", "operator"],
  ["=>1.0", "operator"],
  [">= 1.0 .*", "wildcard"],
  ["=== a b", "not a valid version"],
  ["===a;b", "not a valid version"],
  ["==1.0 ,", "not a valid version"],
  ["~=1.0.po\u017ft1", "not a valid version"],
];

test("parseSpecifier rejects invalid specifiers with a KilnError that says why", () => {
  for (const [input, reason] of invalidSpecifiers) {
    assert.equal(tryParseSpecifier(input), undefined, JSON.stringify(input));
    assert.throws(
      () => parseSpecifier(input),
      (error: unknown) => isKilnError(error, "invalidSpecifier") && error.message.includes(JSON.stringify(input)) && error.message.includes(reason),
      JSON.stringify(input),
    );
  }
});

test("parseSpecifierSet splits on commas, skips empty items and names the bad item", () => {
  assert.equal(parseSpecifierSet("").specifiers.length, 0);
  assert.equal(parseSpecifierSet(" , ,").specifiers.length, 0);
  assert.equal(parseSpecifierSet(">=1.0,,<2").specifiers.length, 2);
  assert.equal(tryParseSpecifierSet(">=1.0, 2.0"), undefined);
  assert.throws(
    () => parseSpecifierSet(">=1.0, 2.0"),
    (error: unknown) => isKilnError(error, "invalidSpecifier") && error.message.includes('">=1.0, 2.0"') && error.message.includes('" 2.0"'),
  );
});

test("SpecifierSet.toString sorts and deduplicates like packaging", () => {
  assert.equal(parseSpecifierSet("<2, >=1.0, >=1.0.0").toString(), "<2,>=1.0");
  assert.equal(parseSpecifierSet("==1.0.0, ==1.0,>= 2, ~=1.0.0").toString(), "==1.0,>=2,~=1.0.0");
  assert.equal(parseSpecifierSet("~=1.0, ~=1.0.0").toString(), "~=1.0,~=1.0.0");
  assert.equal(parseSpecifierSet("").toString(), "");
});
