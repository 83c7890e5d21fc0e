/**
 * The set algebra the solver needs from a version scheme. PubGrub never looks inside a version
 * set: it only combines sets and asks whether they are empty or hold a version, so the same
 * solver works for PEP 440 ranges and for the integer ranges of the tests.
 *
 * @example
 * const algebra: VersionSetAlgebra<number, IntervalSet> = {
 *   empty: () => IntervalSet.empty, full: () => IntervalSet.full,
 *   singleton: (v) => IntervalSet.exactly(v), union: (a, b) => a.union(b),
 *   intersection: (a, b) => a.intersect(b), complement: (a) => a.complement(),
 *   contains: (s, v) => s.contains(v), isEmpty: (s) => s.isEmpty(), format: (s) => s.toString(),
 * };
 */
export interface VersionSetAlgebra<V, S> {
  empty(): S;
  full(): S;
  singleton(version: V): S;
  union(a: S, b: S): S;
  intersection(a: S, b: S): S;
  complement(set: S): S;
  contains(set: S, version: V): boolean;
  isEmpty(set: S): boolean;
  /** Human-readable text for a set, such as `>=1.0, <2.0`; "" or `*` for the full set is fine. */
  format(set: S): string;
  /** Human-readable text for one version; `String(version)` when absent. */
  formatVersion?(version: V): string;
  /** True when every version in `a` is in `b`; derived from the other operations when absent. */
  isSubset?(a: S, b: S): boolean;
  /** True when `a` and `b` hold the same versions; derived when absent. */
  equals?(a: S, b: S): boolean;
}

/**
 * True when `a ⊆ b`, using the algebra's own test when it has one.
 *
 * @example
 * isSubset(algebra, algebra.singleton(1), algebra.full()); // true
 */
export function isSubset<V, S>(algebra: VersionSetAlgebra<V, S>, a: S, b: S): boolean {
  if (algebra.isSubset) return algebra.isSubset(a, b);
  return algebra.isEmpty(algebra.intersection(a, algebra.complement(b)));
}

/**
 * True when `a` and `b` hold the same versions.
 *
 * @example
 * setsEqual(algebra, algebra.full(), algebra.complement(algebra.empty())); // true
 */
export function setsEqual<V, S>(algebra: VersionSetAlgebra<V, S>, a: S, b: S): boolean {
  if (algebra.equals) return algebra.equals(a, b);
  return isSubset(algebra, a, b) && isSubset(algebra, b, a);
}

/**
 * True when the set holds every version.
 *
 * @example
 * isFull(algebra, algebra.full()); // true
 */
export function isFull<V, S>(algebra: VersionSetAlgebra<V, S>, set: S): boolean {
  return algebra.isEmpty(algebra.complement(set));
}

/**
 * Text for one version, through the algebra's formatter when it has one.
 *
 * @example
 * formatVersion(algebra, 3); // "3"
 */
export function formatVersion<V, S>(algebra: VersionSetAlgebra<V, S>, version: V): string {
  return algebra.formatVersion ? algebra.formatVersion(version) : String(version);
}
