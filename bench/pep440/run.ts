// PEP 440 benchmark: kiln vs packaging (host Python) vs @renovatebot/pep440 on the same inputs.
//   npm run bench -- pep440
// Workloads: parse 100 000 real version strings into version objects; sort the parsed versions;
// sort the 100 000 strings (parse + sort: kiln's sortVersionStrings, Python's
// sorted(texts, key=Version), renovate's texts.sort(compare)); and evaluate 100 000 specifier
// containment checks, both from strings (parse set + parse version + check) and against
// pre-parsed specifier sets. Python times only its own work, inside its process. The JS libraries
// get an untimed warm-up pass over 10 000 items; every library runs each workload 5 times on the
// same inputs and the fastest run counts.
import { readFileSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import * as renovate from "@renovatebot/pep440";
import {
  parseSpecifierSet,
  parseVersion,
  sortVersions,
  sortVersionStrings,
  tryParseSpecifierSet,
  tryParseVersion,
  type Version,
} from "../../src/pep440/index.js";
import { hostPackageVersion, hostPython, runHostPython } from "../../test/support/host-python.js";
import { loadCorpus } from "../../test/support/pypi-corpus.js";

const count = 100_000;
const warmup = 10_000;

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

const corpus = await loadCorpus();
const next = random(440);
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;

// 100 000 valid version strings: the corpus as published, then spelling variants of it.
const realVersions = corpus.versions.filter((text) => tryParseVersion(text) !== undefined);
const variants = [
  (text: string) => `v${text}`,
  (text: string) => text.toUpperCase(),
  (text: string) => `${text}a${Math.floor(next() * 5)}`,
  (text: string) => `${text}.post${Math.floor(next() * 10)}`,
  (text: string) => `${text}.dev${Math.floor(next() * 10)}`,
  (text: string) => `${text}rc${Math.floor(next() * 5)}`,
  (text: string) => `${text}.${Math.floor(next() * 30)}`,
  (text: string) => ` ${text}\t`,
];
const versions = [...realVersions];
while (versions.length < count) {
  const candidate = pick(variants)(pick(realVersions));
  if (tryParseVersion(candidate) !== undefined) versions.push(candidate);
}
versions.length = count;
if (process.env.KILN_BENCH_DUMP) writeFileSync(process.env.KILN_BENCH_DUMP, JSON.stringify(versions));

// 100 000 (specifier set, version) pairs: real Requires-Python and Requires-Dist specifiers plus
// sets built around real versions.
const sets: string[] = [...corpus.requiresPython];
for (const requirement of corpus.requirements) {
  const match = /^\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\])?\s*\(?([^;()@]*)\)?\s*(?:;|$)/.exec(requirement);
  const specifiers = match?.[1]?.trim();
  if (specifiers) sets.push(specifiers);
}
while (sets.length < 2_000) {
  const version = parseVersion(pick(realVersions));
  const text = pick(realVersions).trim();
  const major = version.release[0]!;
  sets.push(
    pick([
      `>=${text}`,
      `<${text}`,
      `>=${text},<${major + 1}`,
      `==${major}.*`,
      `!=${text}`,
      `~=${major}.${version.release[1] ?? 0}`,
      `>=${major},!=${text},<${major + 2}`,
      `>${text}`,
      `<=${text}`,
      `==${text}`,
    ]),
  );
}
const validSets = sets.filter((text) => {
  const set = tryParseSpecifierSet(text);
  return set !== undefined && set.specifiers.every((specifier) => specifier.operator !== "===");
});
const pairs: [number, string][] = Array.from({ length: count }, () => [Math.floor(next() * validSets.length), pick(realVersions)]);

interface PythonTimes {
  parse: number;
  sort: number;
  sortStrings: number;
  containsFromStrings: number;
  containsPreparsed: number;
  answers: boolean[];
}

// Each workload runs `repetitions` times in every library and the fastest run counts: the
// machine is shared, and the minimum is the figure least disturbed by other processes.
const repetitions = 5;

const pythonProgram = String.raw`
import json, sys, time
from packaging.version import Version
from packaging.specifiers import SpecifierSet
data = json.load(sys.stdin)
versions, sets, pairs, repetitions = data["versions"], data["sets"], data["pairs"], data["repetitions"]
best = {"parse": float("inf"), "sort": float("inf"), "sortStrings": float("inf"), "containsFromStrings": float("inf"), "containsPreparsed": float("inf")}
def measure(name, run):
    start = time.perf_counter()
    result = run()
    best[name] = min(best[name], (time.perf_counter() - start) * 1000)
    return result
for _ in range(repetitions):
    parsed = measure("parse", lambda: [Version(v) for v in versions])
    copy = list(parsed)
    measure("sort", copy.sort)
    measure("sortStrings", lambda: sorted(versions, key=Version))
    answers = measure("containsFromStrings", lambda: [SpecifierSet(sets[i]).contains(v, prereleases=True) for i, v in pairs])
    objects = [SpecifierSet(s) for s in sets]
    answers2 = measure("containsPreparsed", lambda: [objects[i].contains(v, prereleases=True) for i, v in pairs])
    assert answers == answers2
best["answers"] = answers
print(json.dumps(best))
`;

function best(run: () => void): number {
  let fastest = Infinity;
  for (let repetition = 0; repetition < repetitions; repetition++) {
    const start = performance.now();
    run();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
}

/** Times `sort` on a fresh copy of the unsorted input each time; the copy is not timed. */
function bestSort<T>(items: readonly T[], sort: (copy: T[]) => void): number {
  let fastest = Infinity;
  for (let repetition = 0; repetition < repetitions; repetition++) {
    const copy = items.slice();
    const start = performance.now();
    sort(copy);
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
}

// kiln
let kilnParsed: Version[] = [];
let kilnAnswers: boolean[] = [];
const kilnSets = validSets.map((text) => parseSpecifierSet(text));
sortVersions(versions.slice(0, warmup).map(parseVersion));
sortVersionStrings(versions.slice(0, warmup));
for (const [index, version] of pairs.slice(0, warmup)) parseSpecifierSet(validSets[index]!).contains(version, { prereleases: true });
const kiln = {
  parse: best(() => {
    kilnParsed = versions.map(parseVersion);
  }),
  sort: bestSort(kilnParsed, (copy) => sortVersions(copy)),
  sortStrings: best(() => {
    sortVersionStrings(versions);
  }),
  containsFromStrings: best(() => {
    kilnAnswers = pairs.map(([index, version]) => parseSpecifierSet(validSets[index]!).contains(version, { prereleases: true }));
  }),
  containsPreparsed: best(() => {
    for (const [index, version] of pairs) kilnSets[index]!.contains(version, { prereleases: true });
  }),
};

// @renovatebot/pep440: its API takes strings; compare() parses both sides on every call.
const renovateOptions = { prereleases: true };
const renovateStrings = versions.map((text) => text.trim());
renovateStrings.slice(0, warmup).map((text) => renovate.parse(text));
renovateStrings.slice(0, warmup).sort(renovate.compare);
for (const [index, version] of pairs.slice(0, warmup)) renovate.satisfies(version, validSets[index]!, renovateOptions);
let renovateAnswers: boolean[] = [];
const peer = {
  parse: best(() => {
    renovateStrings.map((text) => renovate.parse(text));
  }),
  sortStrings: bestSort(renovateStrings, (copy) => copy.sort(renovate.compare)),
  containsFromStrings: best(() => {
    renovateAnswers = pairs.map(([index, version]) => renovate.satisfies(version, validSets[index]!, renovateOptions));
  }),
};

// packaging
const python = runHostPython<PythonTimes>(pythonProgram, { versions, sets: validSets, pairs, repetitions }, { timeoutMs: 1_800_000 });

const agreeWithPackaging = kilnAnswers.filter((answer, index) => answer === python.answers[index]).length;
const agreeRenovate = renovateAnswers.filter((answer, index) => answer === python.answers[index]).length;

function row(name: string, ours: number, packaging: number, peerTime: number | undefined) {
  const format = (value: number) => value.toFixed(1).padStart(10);
  const ratio = (value: number | undefined) => (value === undefined ? "       n/a" : `${(value / ours).toFixed(1)}×`.padStart(10));
  console.log(`${name.padEnd(34)}${format(ours)}${format(packaging)}${peerTime === undefined ? "       n/a" : format(peerTime)}${ratio(packaging)}${ratio(peerTime)}`);
}

console.log(`PEP 440 benchmark: ${count} versions (${realVersions.length} distinct real ones from ${corpus.versions.length} corpus strings), ${count} containment checks over ${validSets.length} specifier sets`);
console.log(`node ${process.version}; ${hostPython} packaging ${hostPackageVersion("packaging")}; @renovatebot/pep440 ${renovateVersion()}`);
console.log(`${"workload (ms)".padEnd(34)}${"kiln".padStart(10)}${"packaging".padStart(10)}${"renovate".padStart(10)}${"pkg/kiln".padStart(10)}${"ren/kiln".padStart(10)}`);
row("parse 100k versions", kiln.parse, python.parse, peer.parse);
row("sort 100k parsed versions", kiln.sort, python.sort, undefined);
row("parse + sort 100k version strings", kiln.sortStrings, python.sortStrings, peer.sortStrings);
row("100k contains (strings in)", kiln.containsFromStrings, python.containsFromStrings, peer.containsFromStrings);
row("100k contains (pre-parsed sets)", kiln.containsPreparsed, python.containsPreparsed, undefined);
console.log(`fastest of ${repetitions} runs each; answers equal to packaging's: kiln ${agreeWithPackaging}/${count}, renovate ${agreeRenovate}/${count}`);

function renovateVersion(): string {
  const manifest = readFileSync(new URL("../../node_modules/@renovatebot/pep440/package.json", import.meta.url), "utf8");
  return (JSON.parse(manifest) as { version: string }).version;
}
