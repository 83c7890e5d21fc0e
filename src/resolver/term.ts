import { isSubset, type VersionSetAlgebra } from "./version-set.js";

/**
 * A statement about one package: positive `foo ∈ S` (foo is selected at a version in S) or
 * negative `not foo ∈ S` (foo is not selected, or selected outside S). A negative term is true
 * when the package is absent; a positive one is not, which is why `not foo S` differs from
 * `foo (complement of S)`.
 *
 * @example
 * const term: Term<Range> = { positive: true, set: range(">=1") };
 */
export interface Term<S> {
  readonly positive: boolean;
  readonly set: S;
}

/** How what the partial solution knows about a package relates to a term. */
export type TermRelation = "satisfied" | "contradicted" | "inconclusive";

/**
 * Term operations over a version-set algebra. Terms are read as sets of package states
 * ("absent" or "selected at v"), which makes the rules for mixed signs fall out directly.
 *
 * @example
 * const terms = new TermAlgebra(algebra);
 * terms.intersect(terms.positive(a), terms.negative(b)); // positive a \ b
 */
export class TermAlgebra<V, S> {
  constructor(readonly sets: VersionSetAlgebra<V, S>) {}

  positive(set: S): Term<S> {
    return { positive: true, set };
  }

  negative(set: S): Term<S> {
    return { positive: false, set };
  }

  /** The term that holds in every state: `not foo ∅`. */
  any(): Term<S> {
    return { positive: false, set: this.sets.empty() };
  }

  isAny(term: Term<S>): boolean {
    return !term.positive && this.sets.isEmpty(term.set);
  }

  negate(term: Term<S>): Term<S> {
    return { positive: !term.positive, set: term.set };
  }

  intersect(a: Term<S>, b: Term<S>): Term<S> {
    const sets = this.sets;
    if (a.positive && b.positive) return this.positive(sets.intersection(a.set, b.set));
    if (a.positive) return this.positive(sets.intersection(a.set, sets.complement(b.set)));
    if (b.positive) return this.positive(sets.intersection(b.set, sets.complement(a.set)));
    return this.negative(sets.union(a.set, b.set));
  }

  union(a: Term<S>, b: Term<S>): Term<S> {
    return this.negate(this.intersect(this.negate(a), this.negate(b)));
  }

  /** True when every state allowed by `a` is allowed by `b`. */
  isSubset(a: Term<S>, b: Term<S>): boolean {
    const sets = this.sets;
    if (a.positive && b.positive) return isSubset(sets, a.set, b.set);
    if (a.positive) return sets.isEmpty(sets.intersection(a.set, b.set));
    if (b.positive) return false;
    return isSubset(sets, b.set, a.set);
  }

  /** True when no state is allowed by both. */
  isDisjoint(a: Term<S>, b: Term<S>): boolean {
    const sets = this.sets;
    if (a.positive && b.positive) return sets.isEmpty(sets.intersection(a.set, b.set));
    if (a.positive) return isSubset(sets, a.set, b.set);
    if (b.positive) return isSubset(sets, b.set, a.set);
    return false;
  }

  /** Whether `known` (what the partial solution says about a package) settles `term`. */
  relation(known: Term<S>, term: Term<S>): TermRelation {
    if (this.isSubset(known, term)) return "satisfied";
    if (this.isDisjoint(known, term)) return "contradicted";
    return "inconclusive";
  }
}
