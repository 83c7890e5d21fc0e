import { KilnError } from "../core/index.js";
import { cutAfter, cutBefore, highestCut, lowestCut } from "./cut.js";
import { formatVersionRange } from "./format-version-range.js";
import type { Specifier } from "./specifier.js";
import type { SpecifierSet } from "./specifier-set.js";
import type { Interval } from "./specifier-intervals.js";
import { VersionValue, type Version } from "./version.js";

/**
 * A set of versions as sorted, disjoint, non-adjacent intervals of the PEP 440 order: the
 * resolver's currency (what a requirement allows, what is left after excluding a version, the
 * union of what several dependants allow).
 *
 * PEP 440 containment is not a plain interval test (`<=1.0` admits `1.0+local`, `<2.0` excludes
 * `2.0a1`, `>1.0` excludes `1.0.post1`, `==1.*` is a prefix match), so the bounds are cuts
 * between versions rather than versions (see {@link Cut}): for every specifier set `s` without
 * `===` and every version `v`, `VersionRange.fromSpecifierSet(s).contains(v)` equals
 * `s.contains(v, { prereleases: true })`. Cuts are canonical, so equal sets have equal intervals
 * and {@link equals} is exact.
 *
 * A range carries no pre-release policy: whether pre-releases are acceptable at all is decided
 * by the caller when choosing candidates (`filterVersions`, or `isPrerelease`).
 *
 * @example
 * const range = VersionRange.fromSpecifierSet(parseSpecifierSet(">=1.0, <2.0"));
 * range.contains(parseVersion("1.5")); // true
 * range.intersection(VersionRange.fromSpecifierSet(parseSpecifierSet("!=1.5"))).toString();
 * // ">=1.0, !=1.5, <2.0"
 */
export class VersionRange {
  /** The intervals, sorted, disjoint and with versions between any two of them. */
  readonly intervals: readonly Interval[];

  private constructor(intervals: readonly Interval[]) {
    this.intervals = intervals;
  }

  static readonly #full = new VersionRange([{ lower: lowestCut, upper: highestCut }]);
  static readonly #empty = new VersionRange([]);

  /**
   * Every version.
   *
   * @example
   * VersionRange.full().toString(); // "*"
   */
  static full(): VersionRange {
    return VersionRange.#full;
  }

  /**
   * No version.
   *
   * @example
   * VersionRange.empty().isEmpty(); // true
   */
  static empty(): VersionRange {
    return VersionRange.#empty;
  }

  /**
   * Exactly the versions equal to `version` (`1.0` and `1.0.0`, but not `1.0+local`).
   *
   * @example
   * VersionRange.singleton(parseVersion("1.0")).contains(parseVersion("1.0.0")); // true
   */
  static singleton(version: Version): VersionRange {
    return new VersionRange([{ lower: cutBefore(version), upper: cutAfter(version) }]);
  }

  /**
   * The versions one specifier admits, pre-release policy aside. Throws a `KilnError`
   * (`arbitraryEqualityRange`) for `===`, which matches text, not versions.
   *
   * @example
   * VersionRange.fromSpecifier(parseSpecifier("~=1.4.5")).toString(); // ">=1.4.5, <1.5"
   */
  static fromSpecifier(specifier: Specifier): VersionRange {
    if (specifier.operator === "===") {
      throw new KilnError("arbitraryEqualityRange", `Cannot turn "${specifier.toString()}" into a version range: === compares text, not versions`, {
        hint: "Filter candidates with SpecifierSet.contains or filterVersions instead",
      });
    }
    return new VersionRange(specifier.intervals);
  }

  /**
   * The versions a specifier set admits (every version for an empty set), pre-release policy
   * aside. Throws a `KilnError` (`arbitraryEqualityRange`) if the set has a `===` specifier.
   *
   * @example
   * VersionRange.fromSpecifierSet(parseSpecifierSet("")).toString(); // "*"
   */
  static fromSpecifierSet(set: SpecifierSet): VersionRange {
    let range = VersionRange.#full;
    for (const specifier of set.specifiers) range = range.intersection(VersionRange.fromSpecifier(specifier));
    return range;
  }

  /**
   * True when `version` is in the range.
   *
   * @example
   * VersionRange.fromSpecifierSet(parseSpecifierSet("<2.0")).contains(parseVersion("2.0a1")); // false
   */
  contains(version: Version): boolean {
    const key = VersionValue.keyOf(version);
    // Binary search for the last interval starting at or below the key.
    let low = 0;
    let high = this.intervals.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if (this.intervals[middle]!.lower.key <= key) low = middle + 1;
      else high = middle - 1;
    }
    return high >= 0 && key < this.intervals[high]!.upper.key;
  }

  /** True when no version is in the range. */
  isEmpty(): boolean {
    return this.intervals.length === 0;
  }

  /** True when every version is in the range. */
  isFull(): boolean {
    return this.intervals.length === 1 && this.intervals[0]!.lower.key === lowestCut.key && this.intervals[0]!.upper.key === highestCut.key;
  }

  /**
   * The versions in either range.
   *
   * @example
   * range(">=2").union(range("<1")).toString(); // "<1 || >=2"
   */
  union(other: VersionRange): VersionRange {
    const merged = mergeByLower(this.intervals, other.intervals);
    const result: Interval[] = [];
    for (const interval of merged) {
      const last = result[result.length - 1];
      if (last !== undefined && interval.lower.key <= last.upper.key) {
        if (interval.upper.key > last.upper.key) result[result.length - 1] = { lower: last.lower, upper: interval.upper };
      } else result.push(interval);
    }
    return new VersionRange(result);
  }

  /**
   * The versions in both ranges.
   *
   * @example
   * range(">=1").intersection(range("<2")).toString(); // ">=1, <2"
   */
  intersection(other: VersionRange): VersionRange {
    const left = this.intervals;
    const right = other.intervals;
    const result: Interval[] = [];
    let i = 0;
    let j = 0;
    while (i < left.length && j < right.length) {
      const a = left[i]!;
      const b = right[j]!;
      const lower = a.lower.key >= b.lower.key ? a.lower : b.lower;
      const upper = a.upper.key <= b.upper.key ? a.upper : b.upper;
      if (lower.key < upper.key) result.push({ lower, upper });
      if (a.upper.key <= b.upper.key) i++;
      else j++;
    }
    return new VersionRange(result);
  }

  /**
   * The versions not in the range.
   *
   * @example
   * range(">=1.0").complement().toString(); // "<1.0 (including pre-releases of 1.0)"
   */
  complement(): VersionRange {
    const result: Interval[] = [];
    let lower = lowestCut;
    for (const interval of this.intervals) {
      if (lower.key < interval.lower.key) result.push({ lower, upper: interval.lower });
      lower = interval.upper;
    }
    if (lower.key < highestCut.key) result.push({ lower, upper: highestCut });
    return new VersionRange(result);
  }

  /**
   * The versions in this range but not in `other`.
   *
   * @example
   * range(">=1, <2").difference(range("==1.5")).toString(); // ">=1, !=1.5, <2"
   */
  difference(other: VersionRange): VersionRange {
    return this.intersection(other.complement());
  }

  /** True when every version in this range is in `other`. */
  isSubsetOf(other: VersionRange): boolean {
    return this.difference(other).isEmpty();
  }

  /** True when both ranges hold the same versions. */
  equals(other: VersionRange): boolean {
    if (this.intervals.length !== other.intervals.length) return false;
    return this.intervals.every((interval, index) => {
      const that = other.intervals[index]!;
      return interval.lower.key === that.lower.key && interval.upper.key === that.upper.key;
    });
  }

  /**
   * The range in specifier syntax where PEP 440 has an exact spelling (`>=1.0, !=1.5, <2.0`,
   * `==1.4.*`, `>1.0`), alternatives joined with `||`, `*` for every version and `∅` for none.
   * Bounds that PEP 440 cannot spell, which complements produce, say what they include, such
   * as `<1.0 (including pre-releases of 1.0)`.
   */
  toString(): string {
    return formatVersionRange(this.intervals);
  }
}

function mergeByLower(left: readonly Interval[], right: readonly Interval[]): Interval[] {
  const merged: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (j >= right.length || (i < left.length && left[i]!.lower.key <= right[j]!.lower.key)) merged.push(left[i++]!);
    else merged.push(right[j++]!);
  }
  return merged;
}

