import { strict as assert } from "node:assert";
import { test } from "node:test";
import fc from "fast-check";
import { isKilnError } from "../core/index.js";
import { compareVersions, versionsEqual } from "./compare-versions.js";
import { formatVersion } from "./format-version.js";
import { parseVersion, tryParseVersion } from "./parse-version.js";
import { parseSpecifier, tryParseSpecifier } from "./specifier.js";
import { specifierBounds } from "./specifier-bounds.js";
import { parseSpecifierSet, tryParseSpecifierSet, type SpecifierSet } from "./specifier-set.js";
import { createVersion, type Version } from "./version.js";
import { VersionRange } from "./version-range.js";

// Small numbers make generated versions and specifiers collide often, which is where the
// boundary cases (locals, post-releases, dev0 bounds) live.
const small = fc.integer({ min: 0, max: 3 });
const localSegment = fc.oneof(fc.constantFrom("abc", "x", "0a"), small);

function versionArbitrary(options: { local?: boolean; minRelease?: number } = {}): fc.Arbitrary<Version> {
  return fc
    .record({
      epoch: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(1) }),
      release: fc.array(small, { minLength: options.minRelease ?? 1, maxLength: 4 }),
      pre: fc.option(fc.tuple(fc.constantFrom("a" as const, "b" as const, "rc" as const), small), { nil: undefined }),
      post: fc.option(small, { nil: undefined }),
      dev: fc.option(small, { nil: undefined }),
      local: options.local === false ? fc.constant(undefined) : fc.option(fc.array(localSegment, { minLength: 1, maxLength: 2 }), { nil: undefined }),
    })
    .map((parts) => createVersion(parts));
}

const versions = versionArbitrary();

const specifierText: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom("<", "<=", ">", ">="), versionArbitrary({ local: false })).map(([op, v]) => op + formatVersion(v)),
  fc.tuple(fc.constantFrom("==", "!="), versionArbitrary()).map(([op, v]) => op + formatVersion(v)),
  fc.tuple(fc.constantFrom("==", "!="), fc.array(small, { minLength: 1, maxLength: 3 }), fc.boolean()).map(([op, release, epoch]) => `${op}${epoch ? "1!" : ""}${release.join(".")}.*`),
  versionArbitrary({ local: false, minRelease: 2 }).map((v) => `~=${formatVersion(v)}`),
);

const specifierSets: fc.Arbitrary<SpecifierSet> = fc.array(specifierText, { maxLength: 3 }).map((items) => parseSpecifierSet(items.join(",")));

/** Ranges built from specifier sets by union, so they can have many intervals. */
const ranges: fc.Arbitrary<VersionRange> = fc
  .array(specifierSets, { minLength: 1, maxLength: 3 })
  .map((sets) => sets.map((set) => VersionRange.fromSpecifierSet(set)).reduce((a, b) => a.union(b)));

test("VersionRange.fromSpecifierSet(s).contains(v) equals s.contains(v, { prereleases: true })", () => {
  fc.assert(
    fc.property(specifierSets, fc.array(versions, { minLength: 1, maxLength: 20 }), (set, candidates) => {
      const range = VersionRange.fromSpecifierSet(set);
      for (const version of candidates) {
        assert.equal(range.contains(version), set.contains(version, { prereleases: true }), `${formatVersion(version)} in "${set.toString()}" = ${range.toString()}`);
      }
    }),
    { numRuns: 3000 },
  );
});

test("the fast specifier bounds equal the specifier's intervals", () => {
  // Numbers around the key encoding's size classes (176, 256, 2^16, 2^48) as well as small ones.
  const number = fc.oneof(small, fc.constantFrom(175, 176, 255, 256, 65535, 65536, 2 ** 48 - 2, 2 ** 48 - 1, 2 ** 48), fc.integer({ min: 0, max: 2 ** 40 }));
  const wide = fc
    .record({
      release: fc.array(number, { minLength: 2, maxLength: 3 }),
      pre: fc.option(fc.tuple(fc.constantFrom("a" as const, "b" as const, "rc" as const), number), { nil: undefined }),
      post: fc.option(number, { nil: undefined }),
      dev: fc.option(number, { nil: undefined }),
    })
    .map((parts) => formatVersion(createVersion({ epoch: 0, ...parts })));
  const operator = fc.constantFrom("<", "<=", ">", ">=", "==", "!=", "~=");
  fc.assert(
    fc.property(fc.oneof(specifierText, fc.tuple(operator, wide).map(([op, version]) => op + version)), (text) => {
      const specifier = parseSpecifier(text);
      const expected = specifier.intervals.flatMap((interval) => [interval.lower.key, interval.upper.key]);
      const bounds = specifierBounds(specifier);
      if (bounds !== undefined) assert.deepEqual(bounds, expected, text);
    }),
    { numRuns: 5000 },
  );
});

test("range algebra agrees with membership and obeys the set laws", () => {
  fc.assert(
    fc.property(ranges, ranges, fc.array(versions, { minLength: 1, maxLength: 20 }), (a, b, candidates) => {
      const union = a.union(b);
      const intersection = a.intersection(b);
      const difference = a.difference(b);
      const complement = a.complement();
      for (const v of candidates) {
        assert.equal(union.contains(v), a.contains(v) || b.contains(v), "union");
        assert.equal(intersection.contains(v), a.contains(v) && b.contains(v), "intersection");
        assert.equal(difference.contains(v), a.contains(v) && !b.contains(v), "difference");
        assert.equal(complement.contains(v), !a.contains(v), "complement");
      }
      assert.ok(complement.complement().equals(a), "complement of complement");
      assert.ok(union.complement().equals(a.complement().intersection(b.complement())), "De Morgan (union)");
      assert.ok(intersection.complement().equals(a.complement().union(b.complement())), "De Morgan (intersection)");
      assert.ok(union.equals(b.union(a)) && intersection.equals(b.intersection(a)), "commutative");
      assert.ok(intersection.isSubsetOf(a) && a.isSubsetOf(union), "subset");
      assert.ok(a.union(complement).isFull() && a.intersection(complement).isEmpty(), "excluded middle");
      assert.equal(a.isSubsetOf(b) && b.isSubsetOf(a), a.equals(b), "equality is mutual inclusion");
    }),
    { numRuns: 1500 },
  );
});

test("equal ranges are equal however they were built", () => {
  fc.assert(
    fc.property(ranges, ranges, (a, b) => {
      // (a ∩ b) ∪ (a − b) is a, but built from different intervals.
      assert.ok(a.intersection(b).union(a.difference(b)).equals(a));
    }),
    { numRuns: 1000 },
  );
});

test("parseVersion(formatVersion(v)) equals v, also with huge numbers", () => {
  const huge = fc.bigInt({ min: 0n, max: 10n ** 40n }).map(String);
  const text = fc
    .tuple(huge, fc.array(huge, { minLength: 1, maxLength: 3 }), fc.option(huge, { nil: undefined }), fc.option(huge, { nil: undefined }))
    .map(([epoch, release, post, local]) => `${epoch}!${release.join(".")}${post === undefined ? "" : `.post${post}`}${local === undefined ? "" : `+x.${local}`}`);
  fc.assert(
    fc.property(fc.oneof(versions, text.map(parseVersion)), (version) => {
      const again = parseVersion(formatVersion(version));
      assert.ok(versionsEqual(again, version));
      assert.equal(formatVersion(again), formatVersion(version));
      assert.deepEqual({ ...again }, { ...version });
    }),
    { numRuns: 3000 },
  );
});

test("huge numbers compare exactly", () => {
  const big = fc.bigInt({ min: 0n, max: 10n ** 30n });
  fc.assert(
    fc.property(big, big, (a, b) => {
      const left = parseVersion(`1.${a}`);
      const right = parseVersion(`1.${b}`);
      assert.equal(Math.sign(compareVersions(left, right)), a < b ? -1 : a > b ? 1 : 0);
      assert.equal(VersionRange.fromSpecifierSet(parseSpecifierSet(`>=1.${a}`)).contains(right), b >= a);
    }),
  );
});

const versionAlphabet = [..."0123456789.-_+!vV*=<>~, abcdefilnoprstvwxyzABCPRE\t\u00a0\u0085\u017f\u0130"];

test("parsers return or throw KilnError, never anything else", () => {
  const mutated = fc.array(fc.constantFrom(...versionAlphabet), { maxLength: 30 }).map((chars) => chars.join(""));
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), mutated), (input) => {
      for (const parse of [parseVersion, parseSpecifier, parseSpecifierSet]) {
        try {
          parse(input);
        } catch (error) {
          assert.ok(isKilnError(error), `${parse.name}(${JSON.stringify(input)}) threw ${String(error)}`);
        }
      }
      tryParseVersion(input);
      tryParseSpecifier(input);
      tryParseSpecifierSet(input);
    }),
    { numRuns: 3000 },
  );
});

test("long adversarial inputs are handled in linear time", { timeout: 20_000 }, () => {
  const n = 100_000;
  const inputs = [
    "1".repeat(n),
    "1.".repeat(n / 2),
    `${"1.".repeat(n / 2)}0`,
    `1.0${"-".repeat(n)}`,
    `1.0+${"a.".repeat(n / 2)}`,
    `1.0+${"a.".repeat(n / 2)}a`,
    `1.0${"a".repeat(n)}`,
    `${" ".repeat(n)}1.0${" ".repeat(n)}x`,
    `v${"9".repeat(n)}!1`,
    `==${"1.".repeat(n / 2)}*`,
    `~=${"1.".repeat(n / 2)}`,
    `===${"x".repeat(n)}`,
    ">=1,".repeat(n / 4),
    ",".repeat(n),
    `1.0${"post".repeat(n / 4)}`,
  ];
  for (const input of inputs) {
    for (const parse of [tryParseVersion, tryParseSpecifier, tryParseSpecifierSet]) parse(input);
  }
  assert.equal(formatVersion(parseVersion(`1.${"9".repeat(n)}`)).length, n + 2);
  assert.equal(parseSpecifierSet(">=1,".repeat(n / 4)).specifiers.length, n / 4);
});
