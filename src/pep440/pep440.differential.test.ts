import { strict as assert } from "node:assert";
import { before, test } from "node:test";
import { hostPackageVersion, runHostPython } from "../../test/support/host-python.js";
import { loadCorpus, type Corpus } from "../../test/support/pypi-corpus.js";
import { compareVersions } from "./compare-versions.js";
import { sortVersions, sortVersionStrings } from "./sort-versions.js";
import { filterVersions } from "./filter-versions.js";
import { formatVersion } from "./format-version.js";
import { tryParseVersion } from "./parse-version.js";
import { tryParseSpecifierSet } from "./specifier-set.js";
import type { Version } from "./version.js";
import { VersionRange } from "./version-range.js";

/**
 * kiln against `packaging` (the host's, pinned in .ci/requirements.txt) on the same inputs: real
 * version and specifier strings from the public index, plus generated and mutated strings. Any
 * disagreement fails, except the deliberate differences listed here.
 *
 * Deliberate differences:
 * - `lookalikeLetters`: packaging's specifier regex matches the letters of `~=` suffixes with
 *   Unicode case folding (its `~=` branch lacks the `(?a:...)` its other branches have), so
 *   `~=1.0.poſt1` (U+017F) or `~=1.0prevİew` construct, but packaging's own Version parser then
 *   rejects the version and `contains` fails with an AssertionError. kiln rejects them when
 *   parsing. Recognized by: packaging constructs the set, but a specifier's version does not
 *   parse as a Version.
 *
 * The host runs with `sys.set_int_max_str_digits(0)`: Python otherwise refuses to convert numbers
 * of more than 4300 digits (a ValueError, not InvalidVersion); PEP 440 sets no limit and kiln has
 * none.
 */
const deliberateDifferences = { lookalikeLetters: 0 };

const hostProgram = String.raw`
import json, sys
sys.set_int_max_str_digits(0)
from packaging.version import Version, InvalidVersion
from packaging.specifiers import SpecifierSet, InvalidSpecifier

data = json.load(sys.stdin)

def normalize(text):
    try:
        return str(Version(text))
    except InvalidVersion:
        return None

def specifier_set(text):
    try:
        s = SpecifierSet(text)
    except InvalidSpecifier:
        return None, None
    for spec in s:
        if spec.operator != "===":
            try:
                Version(spec.version.removesuffix(".*"))
            except InvalidVersion:
                return "lookalike", None
    return str(s), s

out = {}
out["versions"] = [normalize(v) for v in data["versions"]]
valid = [v for v, n in zip(data["versions"], out["versions"]) if n is not None]
out["sorted"] = sorted(range(len(valid)), key=lambda i: Version(valid[i]))
sets = [specifier_set(t) for t in data["sets"]]
out["sets"] = [text for text, _ in sets]
pairs = []
for set_index, version in data["pairs"]:
    s = sets[set_index][1]
    pairs.append(None if s is None else [s.contains(version), s.contains(version, prereleases=True), s.contains(version, prereleases=False)])
out["pairs"] = pairs
filters = []
for set_index, candidates in data["filters"]:
    s = sets[set_index][1]
    filters.append(None if s is None else [list(s.filter(candidates)), list(s.filter(candidates, prereleases=True)), list(s.filter(candidates, prereleases=False))])
out["filters"] = filters
print(json.dumps(out))
`;

interface HostAnswers {
  versions: (string | null)[];
  sorted: number[];
  sets: (string | null)[];
  pairs: ([boolean, boolean, boolean] | null)[];
  filters: ([string[], string[], string[]] | null)[];
}

/** A small deterministic PRNG so a failure can be reproduced from the seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const alphabet = [..."0123456789..--__++!vVabcdeilnoprstvwxyzABCDEPRSTV* \t\n\u00a0\u0085\u1680\u3000\ufeff\u017f\u0130\u0131\u212aé١０"];
const spellings = ["a", "alpha", "b", "beta", "c", "rc", "pre", "preview", "post", "rev", "r", "dev", "-", ".", "_", "+local", "!", "v"];
const operators = ["~=", "==", "!=", "<=", ">=", "<", ">", "===", "=", "=>", "~", ""];

function mutate(text: string, next: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  let result = text;
  const edits = 1 + Math.floor(next() * 3);
  for (let edit = 0; edit < edits; edit++) {
    const at = Math.floor(next() * (result.length + 1));
    switch (Math.floor(next() * 8)) {
      case 0:
        result = result.slice(0, at) + pick(alphabet) + result.slice(at);
        break;
      case 1:
        result = result.slice(0, at) + result.slice(at + 1);
        break;
      case 2:
        result = result.slice(0, at) + pick(alphabet) + result.slice(at + 1);
        break;
      case 3:
        result = next() < 0.5 ? result.toUpperCase() : result.toLowerCase();
        break;
      case 4:
        result = result.replace(/[._-]/g, () => pick([".", "-", "_"]));
        break;
      case 5:
        result = `${pick([" ", "\t", "\n", "\u00a0", "\u0085", "\u001c", "\ufeff", ""])}${result}${pick([" ", "\r\n", "\u3000", "\u2028", ""])}`;
        break;
      case 6:
        result = result.slice(0, at) + pick(spellings) + (next() < 0.5 ? String(Math.floor(next() * 20)) : "") + result.slice(at);
        break;
      default:
        result = Array.from({ length: Math.floor(next() * 12) }, () => pick(alphabet)).join("");
    }
  }
  return result;
}

/** The version specifiers of a `Requires-Dist` value, roughly: enough to feed real specifiers in. */
function specifiersOfRequirement(requirement: string): string | undefined {
  const match = /^\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\])?\s*\(?([^;()@]*)\)?\s*(?:;|$)/.exec(requirement);
  const specifiers = match?.[1]?.trim();
  return specifiers === undefined || specifiers === "" ? undefined : specifiers;
}

/** Versions at and around a specifier's version, where the PEP 440 special cases live. */
function neighbours(version: Version): string[] {
  const text = formatVersion(version);
  const base = `${version.epoch ? `${version.epoch}!` : ""}${version.release.join(".")}`;
  return [text, `${text}+local.1`, `${base}.post1`, `${base}.dev0`, `${base}a1`, `${base}rc1.post1`, `${base}.0`, `${base}.1`, `${base}.post0.dev0`];
}

let corpus: Corpus;
let inputs: { versions: string[]; sets: string[]; pairs: [number, string][]; filters: [number, string[]][] };
let host: HostAnswers;

before(async () => {
  assert.ok(hostPackageVersion("packaging"), "the host Python needs packaging (pip install -r .ci/requirements.txt)");
  corpus = await loadCorpus();
  const next = random(440);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;

  const versions = [...corpus.versions];
  for (let index = 0; index < 20_000; index++) versions.push(mutate(pick(corpus.versions), next));

  const validVersions = versions.filter((text) => tryParseVersion(text) !== undefined);
  const sets = [...corpus.requiresPython];
  for (const requirement of corpus.requirements) {
    const specifiers = specifiersOfRequirement(requirement);
    if (specifiers !== undefined) sets.push(specifiers);
  }
  for (let index = 0; index < 6_000; index++) {
    const count = 1 + Math.floor(next() * 3);
    const items = Array.from({ length: count }, () => {
      const operator = pick(operators.slice(0, 8));
      let version = pick(validVersions).trim();
      if (operator.startsWith("=") || operator === "!=") version = next() < 0.3 ? `${version.replace(/[^0-9.!].*$/, "").replace(/\.$/, "")}.*` : version;
      return `${operator}${next() < 0.2 ? " " : ""}${version}`;
    });
    sets.push(items.join(next() < 0.8 ? "," : " , "));
  }
  for (let index = 0; index < 4_000; index++) sets.push(mutate(pick(sets.slice(0, 1000)), next));
  sets.push("~=1.0.po\u017ft1", "~=1.0prev\u0130ew1", "~=1.0prev\u0131ew1", "~=2.2-PO\u017fT.dev", "===", "=====", ",,", "");

  const parsedSets = sets.map((text) => tryParseSpecifierSet(text));
  const usable = sets.map((_, index) => index).filter((index) => parsedSets[index] !== undefined);
  const pairs: [number, string][] = [];
  for (const index of usable) {
    const set = parsedSets[index]!;
    const near = set.specifiers.flatMap((specifier) => (specifier.parsedVersion ? neighbours(specifier.parsedVersion) : [specifier.version]));
    for (const version of near) pairs.push([index, version]);
    for (let count = 0; count < 4; count++) pairs.push([index, pick(versions)]);
  }
  const filters: [number, string[]][] = [];
  for (let count = 0; count < 3_000; count++) {
    const index = pick(usable);
    const set = parsedSets[index]!;
    const near = set.specifiers.flatMap((specifier) => (specifier.parsedVersion ? neighbours(specifier.parsedVersion) : [specifier.version]));
    const candidates = Array.from({ length: 3 + Math.floor(next() * 12) }, () => (next() < 0.5 && near.length > 0 ? pick(near) : pick(versions)));
    filters.push([index, candidates]);
  }
  inputs = { versions, sets, pairs, filters };
  host = runHostPython<HostAnswers>(hostProgram, inputs, { timeoutMs: 600_000 });
});

test("version validity and normalization agree with packaging", (t) => {
  const mismatches: string[] = [];
  inputs.versions.forEach((text, index) => {
    const ours = tryParseVersion(text);
    const theirs = host.versions[index];
    const normalized = ours === undefined ? null : formatVersion(ours);
    if (normalized !== theirs) mismatches.push(`${JSON.stringify(text)}: kiln ${JSON.stringify(normalized)}, packaging ${JSON.stringify(theirs)}`);
  });
  assert.ok(inputs.versions.length > 30_000, `only ${inputs.versions.length} version inputs`);
  assert.ok(host.versions.filter((v) => v === null).length > 3_000, "too few invalid inputs to be a test");
  t.diagnostic(`${inputs.versions.length} version strings (${corpus.versions.length} from the index), ${host.versions.filter((v) => v === null).length} invalid`);
  assert.deepEqual(mismatches.slice(0, 20), [], `${mismatches.length} of ${inputs.versions.length} versions disagree`);
});

test("sort order agrees with packaging (compareVersions, sortVersions, sortVersionStrings)", () => {
  const texts = inputs.versions.filter((_, index) => host.versions[index] !== null);
  const valid = texts.map((text) => tryParseVersion(text)!);
  const expected = host.sorted.map((index) => texts[index]!);
  const order = valid.map((_, index) => index).sort((a, b) => compareVersions(valid[a]!, valid[b]!));
  const first = order.findIndex((value, index) => value !== host.sorted[index]);
  assert.equal(first, -1, first === -1 ? "" : `order differs at ${first}: kiln ${texts[order[first]!]}, packaging ${expected[first]}`);
  const byObjects = sortVersions(valid);
  assert.ok(byObjects.every((version, index) => version === valid[host.sorted[index]!]), "sortVersions differs from packaging");
  assert.deepEqual(sortVersionStrings(texts), expected);
});

test("specifier set validity and formatting agree with packaging", (t) => {
  const mismatches: string[] = [];
  inputs.sets.forEach((text, index) => {
    const theirs = host.sets[index];
    const ours = tryParseSpecifierSet(text)?.toString() ?? null;
    if (theirs === "lookalike" && ours === null) {
      deliberateDifferences.lookalikeLetters++;
      return;
    }
    if (ours !== theirs) mismatches.push(`${JSON.stringify(text)}: kiln ${JSON.stringify(ours)}, packaging ${JSON.stringify(theirs)}`);
  });
  assert.ok(deliberateDifferences.lookalikeLetters >= 3, "the lookalike-letter difference is no longer exercised");
  assert.ok(host.sets.filter((s) => s === null).length > 1_000, "too few invalid specifier sets to be a test");
  t.diagnostic(`${inputs.sets.length} specifier sets, ${host.sets.filter((s) => s === null).length} invalid, ${deliberateDifferences.lookalikeLetters} deliberate differences (lookalike letters)`);
  assert.deepEqual(mismatches.slice(0, 20), [], `${mismatches.length} of ${inputs.sets.length} specifier sets disagree`);
});

test("containment agrees with packaging, with prereleases unset, true and false", (t) => {
  const mismatches: string[] = [];
  inputs.pairs.forEach(([index, version], pair) => {
    const set = tryParseSpecifierSet(inputs.sets[index]!)!;
    const ours = [set.contains(version), set.contains(version, { prereleases: true }), set.contains(version, { prereleases: false })];
    const theirs = host.pairs[pair] ?? [];
    if (ours.some((value, which) => value !== theirs[which])) {
      mismatches.push(`${JSON.stringify(version)} in ${JSON.stringify(inputs.sets[index])}: kiln ${ours}, packaging ${theirs}`);
    }
  });
  assert.ok(inputs.pairs.length > 40_000, `only ${inputs.pairs.length} pairs`);
  const admitted = host.pairs.filter((answers) => answers?.[0]).length;
  t.diagnostic(`${inputs.pairs.length} (set, version) pairs × 3 pre-release settings; ${admitted} admitted with prereleases unset`);
  assert.deepEqual(mismatches.slice(0, 20), [], `${mismatches.length} of ${inputs.pairs.length} pairs disagree`);
});

test("VersionRange membership agrees with packaging's contains(prereleases=True)", () => {
  const mismatches: string[] = [];
  let checked = 0;
  const ranges = new Map<number, VersionRange>();
  inputs.pairs.forEach(([index, text], pair) => {
    const version = tryParseVersion(text);
    const set = tryParseSpecifierSet(inputs.sets[index]!)!;
    if (version === undefined || set.specifiers.some((specifier) => specifier.operator === "===")) return;
    let range = ranges.get(index);
    if (range === undefined) ranges.set(index, (range = VersionRange.fromSpecifierSet(set)));
    checked++;
    if (range.contains(version) !== host.pairs[pair]?.[1]) mismatches.push(`${JSON.stringify(text)} in ${range.toString()} (from ${JSON.stringify(inputs.sets[index])})`);
  });
  assert.ok(checked > 30_000, `only ${checked} range checks`);
  assert.deepEqual(mismatches.slice(0, 20), [], `${mismatches.length} of ${checked} range checks disagree`);
});

test("filterVersions agrees with packaging's SpecifierSet.filter", () => {
  const mismatches: string[] = [];
  inputs.filters.forEach(([index, candidates], which) => {
    const set = tryParseSpecifierSet(inputs.sets[index]!)!;
    const ours = [filterVersions(set, candidates), filterVersions(set, candidates, { prereleases: true }), filterVersions(set, candidates, { prereleases: false })];
    const theirs = host.filters[which]!;
    if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
      mismatches.push(`${JSON.stringify(inputs.sets[index])} filtering ${JSON.stringify(candidates)}: kiln ${JSON.stringify(ours)}, packaging ${JSON.stringify(theirs)}`);
    }
  });
  assert.deepEqual(mismatches.slice(0, 10), [], `${mismatches.length} of ${inputs.filters.length} filters disagree`);
});
