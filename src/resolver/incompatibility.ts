import type { Term, TermAlgebra } from "./term.js";

/**
 * Why an incompatibility holds. External causes are facts about the packages; `derived` ones
 * were learned by the solver from two earlier incompatibilities (the derivation graph that error
 * reporting walks).
 */
export type IncompatibilityCause<S> =
  | { readonly kind: "root" }
  | { readonly kind: "noVersions" }
  | { readonly kind: "unavailable"; readonly reason: string }
  | { readonly kind: "dependency" }
  | { readonly kind: "derived"; readonly conflict: Incompatibility<S>; readonly other: Incompatibility<S> };

/**
 * A set of terms that must not all be true at once, with the reason why. For a dependency
 * `foo 1 depends on bar >=2` the terms are `{foo 1, not bar >=2}`.
 *
 * @example
 * const dependency = new Incompatibility(new Map([["foo", terms.positive(one)], ["bar", terms.negative(atLeastTwo)]]), { kind: "dependency" });
 */
export class Incompatibility<S> {
  private static nextId = 0;
  /** Creation order; stable identity for maps and deterministic tie-breaks. */
  readonly id = Incompatibility.nextId++;

  constructor(
    /** Terms by package, in insertion order (for a dependency: depender first). */
    readonly terms: ReadonlyMap<string, Term<S>>,
    readonly cause: IncompatibilityCause<S>,
  ) {}

  /** The single term when there is exactly one, else undefined. */
  get onlyTerm(): [string, Term<S>] | undefined {
    if (this.terms.size !== 1) return undefined;
    return this.terms.entries().next().value;
  }

  get isDerived(): boolean {
    return this.cause.kind === "derived";
  }
}

/**
 * The learned incompatibility from resolving `incompatibility` against the cause of its
 * satisfier on `package`: the generalized resolution rule `{t1, q}` + `{t2, r}` ⇒
 * `{t1 ∪ t2, q, r}`, dropping `t1 ∪ t2` when it always holds.
 *
 * @example
 * const prior = priorCause(terms, conflict, satisfierCause, "bar");
 */
export function priorCause<V, S>(
  terms: TermAlgebra<V, S>,
  incompatibility: Incompatibility<S>,
  satisfierCause: Incompatibility<S>,
  packageName: string,
): Incompatibility<S> {
  const merged = new Map<string, Term<S>>();
  const add = (name: string, term: Term<S>) => {
    const existing = merged.get(name);
    merged.set(name, existing ? terms.intersect(existing, term) : term);
  };
  for (const [name, term] of incompatibility.terms) if (name !== packageName) add(name, term);
  for (const [name, term] of satisfierCause.terms) if (name !== packageName) add(name, term);
  const union = terms.union(incompatibility.terms.get(packageName)!, satisfierCause.terms.get(packageName)!);
  if (!terms.isAny(union)) merged.set(packageName, union);
  return new Incompatibility(merged, { kind: "derived", conflict: incompatibility, other: satisfierCause });
}
