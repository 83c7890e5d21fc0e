import { strict as assert } from "node:assert";
import { test } from "node:test";
import fc from "fast-check";
import { isKilnError } from "../../src/core/index.js";
import { parseCoreMetadata, parseEmailHeaders } from "../../src/metadata/index.js";
import { formatVersion, parseSpecifierSet, parseVersion } from "../../src/pep440/index.js";
import {
  formatMarker,
  formatRequirement,
  markerVariableNames,
  parseMarker,
  parseRequirement,
  type Marker,
  type MarkerComparison,
  type MarkerOperand,
  type MarkerOperator,
  type MarkerTerm,
  type Requirement,
} from "../../src/pep508/index.js";
import { formatTag, formatTagSet, parsePyodideAbi, parseTag } from "../../src/tags/index.js";
import { formatWheelFilename, parseSdistFilename, parseWheelFilename } from "../../src/wheel-name/index.js";

const parsers: [string, (text: string) => unknown][] = [
  ["parseRequirement", parseRequirement],
  ["parseMarker", parseMarker],
  ["parseTag", parseTag],
  ["parseWheelFilename", parseWheelFilename],
  ["parseSdistFilename", parseSdistFilename],
  ["parsePyodideAbi", parsePyodideAbi],
  ["parseCoreMetadata", (text) => parseCoreMetadata(text)],
  ["parseCoreMetadata lenient", (text) => parseCoreMetadata(text, { lenient: true })],
  ["parseEmailHeaders", parseEmailHeaders],
];

function throwsOnlyKilnErrors(parse: (text: string) => unknown, text: string): void {
  try {
    parse(text);
  } catch (error) {
    if (!isKilnError(error)) throw error;
  }
}

const grammarCharacters = [..."abcxyz019_-.[](),;@<>=!~*+ '\"\t\\\n:é\u2028"];
const grammarText = fc.string({ unit: fc.constantFrom(...grammarCharacters), maxLength: 60 });

test("every parser throws only KilnError, on random and grammar-shaped text", () => {
  for (const [name, parse] of parsers) {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 80 }), (text) => throwsOnlyKilnErrors(parse, text)), { numRuns: 300 });
    fc.assert(fc.property(grammarText, (text) => throwsOnlyKilnErrors(parse, text)), { numRuns: 1000 });
    for (const prefix of ["foo", "foo>=1.0; ", "os_name == 'a' and ", "Metadata-Version: 2.1\nName: a\nVersion: 1\n", "py3-none-", "a-1.0-"]) {
      fc.assert(fc.property(grammarText, (text) => throwsOnlyKilnErrors(parse, prefix + text)), { numRuns: 200 });
    }
  }
});

// Inputs of 100k characters shaped to provoke backtracking, deep recursion or quadratic loops.
const adversarial = [
  "(".repeat(100_000),
  "a".repeat(100_000),
  "a-".repeat(50_000),
  "a.".repeat(50_000) + "é",
  `foo${" ".repeat(100_000)}x`,
  `os_name == "${"a".repeat(100_000)}`,
  `os_name == 'a' and `.repeat(5_000) + "os_name ==",
  `foo[${"a,".repeat(50_000)}`,
  `foo==1${".1".repeat(50_000)}.*a`,
  `foo===${"x".repeat(100_000)}`,
  `foo @ ${"x".repeat(100_000)} ; os_name == "a"`,
  `${"1".repeat(50_000)}-${"1".repeat(50_000)}.tar.gz`,
  `${"1-".repeat(50_000)}.tar.gz`,
  `a-1.0-${"p.".repeat(30_000)}p-none-any.whl`,
  `${"py3.".repeat(10_000)}py3-${"a.".repeat(10_000)}a-any`,
  "Name: a\n".repeat(12_500),
  `Metadata-Version: 2.1\nName: a\nVersion: 1\n${"Requires-Dist: x\n".repeat(6_000)}`,
  ` continued\n`.repeat(10_000),
];

test("parsers finish on 100k-character adversarial inputs", { timeout: 120_000 }, () => {
  for (const text of adversarial) {
    for (const [, parse] of parsers) throwsOnlyKilnErrors(parse, text);
  }
});

const name = fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9._-]{0,12}[A-Za-z0-9])?$/);
const extra = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
const specifierText = fc.constantFrom("", ">=1.0", "<2,>=1.0", "==1.0.*", "!=1.5", "~=1.4.5", "===weird", "==1.0+local", ">1.0rc1");
const variable = fc.constantFrom(...markerVariableNames.filter((name) => name !== "extras" && name !== "dependency_groups"));
const operator = fc.constantFrom<MarkerOperator>("<", "<=", "==", "!=", ">=", ">", "~=", "===", "in", "not in");
const stringValue = fc.string({ unit: "binary", maxLength: 12 });

const comparison: fc.Arbitrary<MarkerComparison> = fc
  .tuple(variable, operator, stringValue, fc.boolean())
  .map(([name, op, value, reversed]) => {
    // Values compared with `extra` are stored normalized, as the parser stores them.
    const text = name === "extra" ? value.toLowerCase().replace(/[-_.]+/g, "-") : value;
    const left: MarkerOperand = { kind: "variable", name };
    const right: MarkerOperand = { kind: "string", value: text };
    return reversed ? { kind: "comparison", left: right, operator: op, right: left } : { kind: "comparison", left, operator: op, right };
  });

// Markers in canonical shape: groups have at least two terms (a one-term group formats without
// parentheses and so does not survive formatting).
const { marker: anyMarker } = fc.letrec<{ marker: Marker; term: MarkerTerm }>((tie) => ({
  marker: fc
    .array(tie("term"), { minLength: 1, maxLength: 4 })
    .chain((terms) =>
      fc.array(fc.constantFrom<"and" | "or">("and", "or"), { minLength: terms.length - 1, maxLength: terms.length - 1 }).map((operators) => ({
        kind: "marker" as const,
        terms,
        operators,
      })),
    ),
  term: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    comparison,
    tie("marker").filter((group) => group.terms.length > 1),
  ),
}));

// A lone parenthesised group at the top is printed without its parentheses, too.
const marker = anyMarker.filter((candidate) => !(candidate.terms.length === 1 && candidate.terms[0]!.kind === "marker"));

test("parseMarker(formatMarker(m)) gives m back", () => {
  fc.assert(
    fc.property(marker, (original) => {
      assert.deepEqual(parseMarker(formatMarker(original)), original);
    }),
    { numRuns: 2000 },
  );
});

const requirement: fc.Arbitrary<Requirement> = fc
  .record({
    name,
    extras: fc.uniqueArray(extra, { maxLength: 3 }),
    specifier: specifierText,
    url: fc.option(fc.constantFrom("https://example.com/a-1.0.tar.gz", "file:///tmp/a.whl", "git+https://h/r@v#egg=a;b"), { nil: undefined }),
    marker: fc.option(marker, { nil: undefined }),
  })
  .map(({ name, extras, specifier, url, marker }) => {
    const parsed: Requirement = { name, extras: [...extras].sort(), specifier: parseSpecifierSet(url === undefined ? specifier : "") };
    if (url !== undefined) parsed.url = url;
    if (marker !== undefined) parsed.marker = marker;
    return parsed;
  });

test("parseRequirement(formatRequirement(r)) gives r back", () => {
  fc.assert(
    fc.property(requirement, (original) => {
      const text = formatRequirement(original);
      const parsed = parseRequirement(text);
      assert.equal(parsed.name, original.name, text);
      assert.deepEqual(parsed.extras, original.extras, text);
      assert.equal(parsed.specifier.toString(), original.specifier.toString(), text);
      assert.equal(parsed.url, original.url, text);
      assert.deepEqual(parsed.marker, original.marker, text);
      assert.equal(formatRequirement(parsed), text);
    }),
    { numRuns: 2000 },
  );
});

const tagPart = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/);
const tagSet = fc.tuple(
  fc.uniqueArray(tagPart, { minLength: 1, maxLength: 3 }),
  fc.uniqueArray(tagPart, { minLength: 1, maxLength: 3 }),
  fc.uniqueArray(tagPart, { minLength: 1, maxLength: 3 }),
);

test("parseTag(formatTagSet(tags)) gives the tags back", () => {
  fc.assert(
    fc.property(tagSet, ([interpreters, abis, platforms]) => {
      const tags = interpreters.flatMap((interpreter) => abis.flatMap((abi) => platforms.map((platform) => ({ interpreter, abi, platform }))));
      assert.deepEqual(parseTag(formatTagSet(tags)), tags);
      for (const tag of tags) assert.deepEqual(parseTag(formatTag(tag)), [tag]);
    }),
    { numRuns: 1000 },
  );
});

const versionText = fc
  .tuple(
    fc.array(fc.nat({ max: 30 }), { minLength: 1, maxLength: 4 }),
    fc.option(fc.tuple(fc.constantFrom("a", "b", "rc"), fc.nat({ max: 9 })), { nil: undefined }),
    fc.option(fc.nat({ max: 9 }), { nil: undefined }),
    fc.option(fc.nat({ max: 9 }), { nil: undefined }),
    fc.option(fc.stringMatching(/^[a-z0-9]{1,4}(\.[a-z0-9]{1,4}){0,2}$/), { nil: undefined }),
  )
  .map(([release, pre, post, dev, local]) =>
    `${release.join(".")}${pre ? pre.join("") : ""}${post === undefined ? "" : `.post${post}`}${dev === undefined ? "" : `.dev${dev}`}${local ? `+${local}` : ""}`,
  );

test("parseWheelFilename(formatWheelFilename(w)) gives w back", () => {
  fc.assert(
    fc.property(
      name,
      versionText,
      fc.option(fc.tuple(fc.nat({ max: 10_000 }), fc.stringMatching(/^[a-z_]{0,4}$/)), { nil: undefined }),
      tagSet,
      (project, version, buildTag, [interpreters, abis, platforms]) => {
        const tags = interpreters.flatMap((interpreter) => abis.flatMap((abi) => platforms.map((platform) => ({ interpreter, abi, platform }))));
        const wheel = { name: project.toLowerCase().replace(/[-_.]+/g, "-"), version: parseVersion(version), tags, ...(buildTag ? { buildTag } : {}) };
        const filename = formatWheelFilename(wheel);
        const parsed = parseWheelFilename(filename);
        assert.equal(parsed.name, wheel.name, filename);
        assert.equal(formatVersion(parsed.version), formatVersion(wheel.version), filename);
        assert.deepEqual(parsed.buildTag, wheel.buildTag, filename);
        assert.deepEqual(parsed.tags, tags, filename);
        assert.equal(formatWheelFilename(parsed), filename);
      },
    ),
    { numRuns: 1000 },
  );
});
