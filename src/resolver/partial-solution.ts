import type { Incompatibility } from "./incompatibility.js";
import type { Term, TermAlgebra } from "./term.js";

/** One entry of the partial solution: a decision (`version` set) or a derivation (`cause` set). */
export interface Assignment<V, S> {
  readonly packageName: string;
  readonly term: Term<S>;
  readonly level: number;
  /** Position in the whole partial solution; earlier assignments have smaller indices. */
  readonly index: number;
  readonly version?: V;
  readonly cause?: Incompatibility<S>;
  /** The intersection of this package's assignments up to and including this one. */
  readonly accumulated: Term<S>;
}

/** How the partial solution relates to a whole incompatibility. */
export type IncompatibilityRelation =
  | { kind: "satisfied" }
  | { kind: "contradicted" }
  | { kind: "almostSatisfied"; packageName: string }
  | { kind: "inconclusive" };

/**
 * The solver's current assignments, ordered, with decision levels. Backtracking drops every
 * assignment above a level; per-package lists keep lookups cheap.
 *
 * @example
 * const solution = new PartialSolution(terms);
 * solution.derive("root", terms.positive(one), notRoot);
 */
export class PartialSolution<V, S> {
  private readonly all: Assignment<V, S>[] = [];
  private readonly byPackage = new Map<string, Assignment<V, S>[]>();
  private readonly decided = new Map<string, Assignment<V, S>>();
  level = 0;

  constructor(private readonly terms: TermAlgebra<V, S>) {}

  /** Records a decision; it opens a new decision level. */
  decide(packageName: string, version: V): void {
    this.level++;
    const term = this.terms.positive(this.terms.sets.singleton(version));
    const assignment = this.push(packageName, term, { version });
    this.decided.set(packageName, assignment);
  }

  /** Records a derivation caused by `cause` at the current level. */
  derive(packageName: string, term: Term<S>, cause: Incompatibility<S>): void {
    this.push(packageName, term, { cause });
  }

  private push(packageName: string, term: Term<S>, extra: { version?: V; cause?: Incompatibility<S> }): Assignment<V, S> {
    let list = this.byPackage.get(packageName);
    if (!list) this.byPackage.set(packageName, (list = []));
    const previous = list.at(-1)?.accumulated;
    const accumulated = previous ? this.terms.intersect(previous, term) : term;
    const assignment: Assignment<V, S> = { packageName, term, level: this.level, index: this.all.length, accumulated, ...extra };
    list.push(assignment);
    this.all.push(assignment);
    return assignment;
  }

  /** Drops every assignment made above `level`. */
  backtrack(level: number): void {
    while (this.all.length > 0 && this.all.at(-1)!.level > level) {
      const removed = this.all.pop()!;
      const list = this.byPackage.get(removed.packageName)!;
      list.pop();
      if (list.length === 0) this.byPackage.delete(removed.packageName);
      if (removed.version !== undefined || this.decided.get(removed.packageName) === removed) {
        this.decided.delete(removed.packageName);
      }
    }
    this.level = level;
  }

  /** The intersection of everything known about a package, or undefined when nothing is. */
  known(packageName: string): Term<S> | undefined {
    return this.byPackage.get(packageName)?.at(-1)?.accumulated;
  }

  decision(packageName: string): V | undefined {
    return this.decided.get(packageName)?.version;
  }

  /** Packages with a positive requirement and no decision yet, in order of first assignment. */
  undecided(): Array<[string, S]> {
    const result: Array<[string, S]> = [];
    for (const [name, list] of this.byPackage) {
      const known = list.at(-1)!.accumulated;
      if (known.positive && !this.decided.has(name)) result.push([name, known.set]);
    }
    return result;
  }

  /** Every decision, in the order made. */
  decisions(): Array<[string, V]> {
    return this.all.filter((a) => a.version !== undefined).map((a) => [a.packageName, a.version!]);
  }

  relation(incompatibility: Incompatibility<S>): IncompatibilityRelation {
    let unsatisfied: string | undefined;
    for (const [name, term] of incompatibility.terms) {
      const known = this.known(name);
      const relation = known ? this.terms.relation(known, term) : "inconclusive";
      if (relation === "contradicted") return { kind: "contradicted" };
      if (relation === "inconclusive") {
        if (unsatisfied !== undefined) return { kind: "inconclusive" };
        unsatisfied = name;
      }
    }
    return unsatisfied === undefined ? { kind: "satisfied" } : { kind: "almostSatisfied", packageName: unsatisfied };
  }

  /**
   * The earliest assignment for `packageName` after which the package's accumulated term,
   * intersected with `start`, satisfies `term`; undefined when `start` alone does.
   */
  satisfier(packageName: string, term: Term<S>, start?: Term<S>, before = Infinity): Assignment<V, S> | undefined {
    if (start && this.terms.isSubset(start, term)) return undefined;
    for (const assignment of this.byPackage.get(packageName) ?? []) {
      if (assignment.index >= before) break;
      const known = start ? this.terms.intersect(assignment.accumulated, start) : assignment.accumulated;
      if (this.terms.isSubset(known, term)) return assignment;
    }
    if (start) return undefined;
    throw new RangeError(`The partial solution does not satisfy the term for "${packageName}"`);
  }

  /**
   * For a satisfied incompatibility: the assignment that completed the satisfaction, and the
   * decision level of the latest assignment that is still needed along with it.
   */
  findSatisfier(incompatibility: Incompatibility<S>): { satisfier: Assignment<V, S>; previousLevel: number } {
    const found = new Map<string, Assignment<V, S>>();
    let satisfier: Assignment<V, S> | undefined;
    for (const [name, term] of incompatibility.terms) {
      const assignment = this.satisfier(name, term)!;
      found.set(name, assignment);
      if (!satisfier || assignment.index > satisfier.index) satisfier = assignment;
    }
    if (!satisfier) throw new RangeError("An empty incompatibility has no satisfier");
    const term = incompatibility.terms.get(satisfier.packageName)!;
    const previousOfSame = this.satisfier(satisfier.packageName, term, satisfier.term, satisfier.index);
    let previousLevel = previousOfSame?.level ?? 0;
    for (const [name, assignment] of found) {
      if (name !== satisfier.packageName) previousLevel = Math.max(previousLevel, assignment.level);
    }
    return { satisfier, previousLevel: Math.max(previousLevel, 1) };
  }
}
