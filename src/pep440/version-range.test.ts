import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { parseVersion } from "./parse-version.js";
import { parseSpecifier } from "./specifier.js";
import { parseSpecifierSet } from "./specifier-set.js";
import { VersionRange } from "./version-range.js";

function range(specifiers: string): VersionRange {
  return VersionRange.fromSpecifierSet(parseSpecifierSet(specifiers));
}

// [specifier set, how the range prints]: exact PEP 440 spellings come back out.
const printed: [string, string][] = [
  ["", "*"],
  [">=1.0", ">=1.0"],
  [">=1.0,<2.0", ">=1.0, <2.0"],
  ["<2.0,>=1.0", ">=1.0, <2.0"],
  [">1.0", ">1.0"],
  [">1.0a1", ">1.0a1"],
  [">1.0.post1", ">1.0.post1"],
  [">1.0.dev1", ">=1.0.dev2"],
  ["<=1.0", "<=1.0"],
  ["<=1.0.post2", "<=1.0.post2"],
  ["<1.0a1", "<1.0a1"],
  ["==1.0", "==1.0"],
  ["==1.0+local", "==1.0+local"],
  ["==1.4.*", "==1.4.*"],
  ["==1!2.*", "==1!2.*"],
  ["!=1.5", "!=1.5"],
  ["!=1.5.*", "!=1.5.*"],
  ["!=1.0+local", "!=1.0+local"],
  [">=1.0,!=1.5,<2.0", ">=1.0, !=1.5, <2.0"],
  [">=1.0,!=1.5,!=1.7.*,<2.0", ">=1.0, !=1.5, !=1.7.*, <2.0"],
  ["~=1.4.5", ">=1.4.5, <1.5"],
  ["~=2.2", ">=2.2, <3"],
  [">=2,<1", "∅"],
  ["==1.0,!=1.0", "∅"],
  ["<0.dev0", "∅"],
];

test("VersionRange prints PEP 440 specifiers where they are exact", () => {
  for (const [specifiers, expected] of printed) assert.equal(range(specifiers).toString(), expected, specifiers);
});

test("VersionRange prints complements with what they include", () => {
  assert.equal(range(">=1.0").complement().toString(), "<1.0 (including pre-releases of 1.0)");
  assert.equal(range("<=1.0").complement().toString(), ">=1.0.post0.dev0");
  assert.equal(range(">1.0").complement().toString(), "<=1.0 (including post-releases)");
  assert.equal(range("==1.0+abc").complement().toString(), "!=1.0+abc");
  assert.equal(VersionRange.singleton(parseVersion("1.0")).toString(), "==1.0 (excluding local versions)");
  assert.equal(VersionRange.singleton(parseVersion("1.0")).complement().toString(), "<1.0 (including pre-releases of 1.0) || >1.0 (including its local versions and post-releases)");
  assert.equal(range(">=2").union(range("<1")).toString(), "<1 || >=2");
  assert.equal(range(">=1,<2").difference(range("==1.5")).toString(), ">=1, !=1.5, <2");
});

// [specifier set, version, in range]: the PEP 440 rules that are not plain intervals.
const membership: [string, string, boolean][] = [
  ["<=1.0", "1.0+local", true],
  ["<=1.0", "1.0.post0.dev0", false],
  ["<2.0", "2.0a1", false],
  ["<2.0", "2.0.dev0", false],
  ["<2.0", "1.9.post1+x", true],
  [">1.0", "1.0.post1", false],
  [">1.0", "1.0+local", false],
  [">1.0", "1.0.0.0.1.dev0", true],
  [">1.0a1", "1.0a1.post3", false],
  [">1.0a1", "1.0a2.dev0", true],
  ["==1.*", "1.99.post1+x", true],
  ["==1.*", "2.0.dev0", false],
  ["==1.0", "1.0+local", true],
  ["!=1.0", "1.0+local", false],
  ["!=1.0", "1.0.post0.dev0", true],
  [">=1.0,<2.0", "1.5a1", true],
];

test("VersionRange.contains follows PEP 440 containment, pre-release policy aside", () => {
  for (const [specifiers, version, expected] of membership) {
    assert.equal(range(specifiers).contains(parseVersion(version)), expected, `${version} in ${specifiers}`);
    assert.equal(parseSpecifierSet(specifiers).contains(version, { prereleases: true }), expected, `${version} in set ${specifiers}`);
  }
});

test("VersionRange algebra basics", () => {
  assert.ok(VersionRange.full().isFull());
  assert.ok(VersionRange.empty().isEmpty());
  assert.ok(VersionRange.full().complement().isEmpty());
  assert.ok(VersionRange.empty().complement().equals(VersionRange.full()));
  assert.ok(range(">=1.0, <2.0").isSubsetOf(range(">=1.0")));
  assert.ok(!range(">=1.0").isSubsetOf(range(">=1.0, <2.0")));
  assert.ok(range(">=1.0.0").equals(range(">=1")));
  assert.ok(range(">1.0a1").equals(range(">=1.0a2.dev0")));
  assert.ok(range("<=1.0").union(range(">1.0")).equals(range("<1.0.post0.dev0").union(range(">1.0"))));
  assert.ok(range("<=1.0").union(range("!=1.0")).isFull());
  assert.ok(range("==1.0").union(range("!=1.0")).isFull());
  assert.ok(VersionRange.singleton(parseVersion("1.0")).contains(parseVersion("1.0.0")));
  assert.ok(!VersionRange.singleton(parseVersion("1.0")).contains(parseVersion("1.0+x")));
});

test("=== has no range", () => {
  assert.throws(() => VersionRange.fromSpecifier(parseSpecifier("===1.0")), (error: unknown) => isKilnError(error, "arbitraryEqualityRange"));
  assert.throws(() => range(">=1, ===1.0"), (error: unknown) => isKilnError(error, "arbitraryEqualityRange"));
});
