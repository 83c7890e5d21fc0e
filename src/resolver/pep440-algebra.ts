import { formatVersion, parseSpecifierSet, tryParseVersion, VersionRange, type SpecifierSet, type Version } from "../pep440/index.js";
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
 * The range of versions a specifier set admits. `===V` (arbitrary equality, which compares text)
 * becomes the version V names, or nothing when V is not a valid version: the resolver's
 * candidates are valid versions, so this admits what pip's text comparison admits, up to
 * spellings of one version (`===2.0` also admits a file named `2.0.0`).
 *
 * @example
 * rangeOf(parseSpecifierSet("~=1.4")).toString(); // ">=1.4, <2.dev0"
 */
export function rangeOf(specifiers: SpecifierSet | string): VersionRange {
  const set = typeof specifiers === "string" ? parseSpecifierSet(specifiers) : specifiers;
  let range = VersionRange.full();
  for (const specifier of set.specifiers) {
    if (specifier.operator === "===") {
      const version = tryParseVersion(specifier.version);
      range = range.intersection(version ? VersionRange.singleton(version) : VersionRange.empty());
    } else {
      range = range.intersection(VersionRange.fromSpecifier(specifier));
    }
  }
  return range;
}
