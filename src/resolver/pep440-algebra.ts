import { formatVersion, parseSpecifierSet, VersionRange, type SpecifierSet, type Version } from "../pep440/index.js";
import type { VersionSetAlgebra } from "./version-set.js";

/**
 * PEP 440 version ranges as the solver's set algebra. Pre-release policy is not part of a range:
 * the provider applies it when it picks candidates.
 *
 * @example
 * pep440Algebra.contains(rangeOf(parseSpecifierSet(">=1.0")), parseVersion("2.0")); // true
 */
export const pep440Algebra: VersionSetAlgebra<Version, VersionRange> = {
  empty: () => VersionRange.empty(),
  full: () => VersionRange.full(),
  singleton: (version) => VersionRange.singleton(version),
  union: (a, b) => a.union(b),
  intersection: (a, b) => a.intersection(b),
  complement: (set) => set.complement(),
  contains: (set, version) => set.contains(version),
  isEmpty: (set) => set.isEmpty(),
  isSubset: (a, b) => a.isSubsetOf(b),
  equals: (a, b) => a.equals(b),
  format: (set) => set.toString(),
  formatVersion: (version) => formatVersion(version),
};

/**
 * The range of versions a specifier set admits.
 *
 * @example
 * rangeOf(parseSpecifierSet("~=1.4")).toString(); // ">=1.4, <2.dev0"
 */
export function rangeOf(specifiers: SpecifierSet | string): VersionRange {
  return VersionRange.fromSpecifierSet(typeof specifiers === "string" ? parseSpecifierSet(specifiers) : specifiers);
}
