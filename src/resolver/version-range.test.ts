import { strict as assert } from "node:assert";
import { test } from "node:test";
import fc from "fast-check";
import { formatVersion, parseSpecifierSet, parseVersion } from "../pep440/index.js";
import { VersionRange } from "./version-range.js";

const versionTexts = ["0.9", "1.0.dev0", "1.0a1", "1.0rc2", "1.0", "1.0+local", "1.0.post1", "1.0.post1+x", "1.1", "1.5", "2.0a1", "2.0", "2.0.1", "3!1.0"];
const specifierTexts = ["", ">=1.0", "<2.0", ">1.0", "<=1.0", "==1.0", "!=1.0", "==1.*", "!=1.0.*", "~=1.0", ">=1.0a1", "<2.0a1", "==1.0+local", "===1.0", ">1.0.post1", "<1.0.post1"];
const versions = versionTexts.map(parseVersion);

const setArbitrary = fc.array(fc.constantFrom(...specifierTexts), { maxLength: 3 }).map((parts) => parts.filter(Boolean).join(","));

test("VersionRange.fromSpecifierSet admits what SpecifierSet.contains admits (pre-releases allowed)", () => {
  fc.assert(
    fc.property(setArbitrary, (text) => {
      const set = parseSpecifierSet(text);
      const range = VersionRange.fromSpecifierSet(set);
      for (const version of versions) {
        assert.equal(range.contains(version), set.contains(version, { prereleases: true }), `${text} on ${formatVersion(version)}`);
      }
    }),
  );
});

test("VersionRange operations agree with set semantics", () => {
  fc.assert(
    fc.property(setArbitrary, setArbitrary, fc.constantFrom(...versions), (a, b, single) => {
      const x = VersionRange.fromSpecifierSet(parseSpecifierSet(a));
      const y = VersionRange.fromSpecifierSet(parseSpecifierSet(b)).union(VersionRange.singleton(single));
      for (const v of versions) {
        assert.equal(x.union(y).contains(v), x.contains(v) || y.contains(v));
        assert.equal(x.intersect(y).contains(v), x.contains(v) && y.contains(v));
        assert.equal(x.complement().contains(v), !x.contains(v));
      }
      assert.ok(x.complement().complement().equals(x));
      assert.ok(x.intersect(y).isSubsetOf(x));
    }),
  );
});

test("VersionRange.singleton holds one version, not its local variants", () => {
  const one = VersionRange.singleton(parseVersion("1.0"));
  assert.deepEqual(versions.filter((v) => one.contains(v)).map(formatVersion), ["1.0"]);
  assert.equal(one.toString(), "==1.0");
});

const printed: Array<[string, string]> = [
  [">=1.0,<2.0", ">=1.0, <2.0"],
  ["", "*"],
  ["!=1.5", "<1.5 | >=1.5.post0.dev0"],
  [">2.0", ">2.0"],
  ["<=1.0", "<=1.0"],
  ["==1.*", ">=1.dev0, <2"],
];

for (const [text, expected] of printed) {
  test(`VersionRange prints ${JSON.stringify(text)} as ${expected}`, () => {
    assert.equal(VersionRange.fromSpecifierSet(parseSpecifierSet(text)).toString(), expected);
  });
}
