// A tiny version scheme for solver tests: versions are integers (1.2.3 is 10203), sets are sorted
// disjoint half-open intervals, printed in the notation of PubGrub's documentation (^1.0.0).
import type { DependencyProvider, Dependencies, VersionSetAlgebra } from "../../src/resolver/index.js";

/** Sorted disjoint intervals [low, high); high may be Infinity. */
export type IntervalSet = ReadonlyArray<readonly [number, number]>;

export function version(text: string): number {
  const [major = 0, minor = 0, patch = 0] = text.split(".").map(Number);
  return major * 10000 + minor * 100 + patch;
}

export function versionText(value: number): string {
  return `${Math.floor(value / 10000)}.${Math.floor(value / 100) % 100}.${value % 100}`;
}

function normalize(intervals: Array<[number, number]>): IntervalSet {
  const sorted = intervals.filter(([a, b]) => a < b).sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of sorted) {
    const last = out.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

function complement(set: IntervalSet): IntervalSet {
  const out: Array<[number, number]> = [];
  let start = 0;
  for (const [a, b] of set) {
    if (a > start) out.push([start, a]);
    start = b;
  }
  if (start < Infinity) out.push([start, Infinity]);
  return out;
}

function formatInterval([a, b]: readonly [number, number]): string {
  if (a === 0 && b === Infinity) return "any";
  if (b === a + 1) return versionText(a);
  if (a % 10000 === 0 && a > 0 && b === a + 10000) return `^${versionText(a)}`;
  if (b === Infinity) return `>=${versionText(a)}`;
  if (a === 0) return `<${versionText(b)}`;
  return `>=${versionText(a)} <${versionText(b)}`;
}

export const intervals: VersionSetAlgebra<number, IntervalSet> = {
  empty: () => [],
  full: () => [[0, Infinity]],
  singleton: (v) => [[v, v + 1]],
  union: (a, b) => normalize([...a, ...b].map(([x, y]) => [x, y])),
  intersection: (a, b) => complement(normalize([...complement(a), ...complement(b)].map(([x, y]) => [x, y]))),
  complement,
  contains: (set, v) => set.some(([a, b]) => a <= v && v < b),
  isEmpty: (set) => set.length === 0,
  format: (set) => (set.length === 0 ? "∅" : set.map(formatInterval).join(" || ")),
  formatVersion: versionText,
};

/** `^1.0.0`, `>=1.1.0`, `<2.0.0`, `1.0.0`, `any`, or `>=1.0.0 <2.0.0`. */
export function range(text: string): IntervalSet {
  if (text === "any") return intervals.full();
  if (text.startsWith("^")) {
    const low = version(text.slice(1));
    return [[low, (Math.floor(low / 10000) + 1) * 10000]];
  }
  const parts = text.split(" ");
  let set = intervals.full();
  for (const part of parts) {
    if (part.startsWith(">=")) set = intervals.intersection(set, [[version(part.slice(2)), Infinity]]);
    else if (part.startsWith("<")) set = intervals.intersection(set, [[0, version(part.slice(1))]]);
    else set = intervals.intersection(set, intervals.singleton(version(part)));
  }
  return set;
}

/** Package → version → dependency → range, all as text. */
export type Registry = Record<string, Record<string, Record<string, string>>>;

/** A provider over a registry: newest matching version first, packages in discovery order. */
export function registryProvider(registry: Registry, log: string[] = []): DependencyProvider<number, IntervalSet> {
  return {
    async chooseVersion(name, set) {
      const versions = Object.keys(registry[name] ?? {}).map(version).sort((a, b) => b - a);
      return versions.find((v) => intervals.contains(set, v));
    },
    async getDependencies(name, v): Promise<Dependencies<IntervalSet>> {
      log.push(`${name} ${versionText(v)}`);
      const entry = registry[name]?.[versionText(v)];
      if (!entry) return { kind: "unavailable", reason: "is not in the registry" };
      return { kind: "available", dependencies: new Map(Object.entries(entry).map(([d, r]) => [d, range(r)])) };
    },
  };
}

/** The simplest set holding the same registry versions as `set` (uv and pub print ranges this way). */
export function simplifier(registry: Registry): (name: string, set: IntervalSet) => IntervalSet {
  return (name, set) => {
    const versions = Object.keys(registry[name] ?? {}).map(version).sort((a, b) => a - b);
    const out: Array<[number, number]> = [];
    let runStart: number | undefined;
    versions.forEach((v, i) => {
      const inside = intervals.contains(set, v);
      if (inside && runStart === undefined) runStart = i === 0 ? 0 : v;
      if (runStart !== undefined && (!inside || i === versions.length - 1)) {
        out.push([runStart, inside ? Infinity : v]);
        runStart = undefined;
      }
    });
    return out.length === 0 ? set : out;
  };
}
