import { Incompatibility, priorCause } from "./incompatibility.js";
import { PartialSolution } from "./partial-solution.js";
import { TermAlgebra } from "./term.js";
import { formatVersion, type VersionSetAlgebra } from "./version-set.js";

/** What a provider says about one package version's dependencies. */
export type Dependencies<S> =
  | { kind: "available"; dependencies: ReadonlyMap<string, S> }
  | { kind: "unavailable"; reason: string };

/**
 * Where the solver gets packages from. All calls may be async (an index over HTTP); the solver
 * awaits one at a time, so providers prefetch on their own when they want concurrency.
 *
 * @example
 * const provider: DependencyProvider<number, IntervalSet> = {
 *   chooseVersion: async (name, set) => newestIn(name, set),
 *   getDependencies: async (name, version) => ({ kind: "available", dependencies: deps(name, version) }),
 * };
 */
export interface DependencyProvider<V, S> {
  /** The version to try for `packageName` within `set` (usually the newest), or undefined when none is. */
  chooseVersion(packageName: string, set: S): Promise<V | undefined>;
  getDependencies(packageName: string, version: V): Promise<Dependencies<S>>;
  /**
   * Which undecided package to decide next: the highest number wins, ties go to the package
   * seen first. Absent: packages are decided in the order they were first required.
   */
  prioritize?(packageName: string, set: S): number;
}

/** Options for {@link solve}. */
export interface SolveOptions<V, S> {
  algebra: VersionSetAlgebra<V, S>;
  provider: DependencyProvider<V, S>;
  /** The package whose dependencies are the requirements; it is always selected at `rootVersion`. */
  rootPackage: string;
  rootVersion: V;
}

/** The outcome of {@link solve}: a version per package, or the incompatibility that proves there is none. */
export type SolveResult<V, S> =
  | { kind: "solved"; solution: Map<string, V> }
  | { kind: "failed"; incompatibility: Incompatibility<S> };

/**
 * PubGrub version solving: unit propagation, decisions, conflict resolution with learned
 * incompatibilities and backjumping (https://github.com/dart-lang/pub/blob/master/doc/solver.md).
 * A failure is data: the root of a derivation graph that {@link explainFailure} turns into words.
 *
 * @example
 * const result = await solve({ algebra, provider, rootPackage: "root", rootVersion: 1 });
 * if (result.kind === "solved") console.log(result.solution.get("foo"));
 */
export async function solve<V, S>(options: SolveOptions<V, S>): Promise<SolveResult<V, S>> {
  return new Solver(options).run();
}

class Solver<V, S> {
  private readonly terms: TermAlgebra<V, S>;
  private readonly solution: PartialSolution<V, S>;
  private readonly byPackage = new Map<string, Incompatibility<S>[]>();
  /** Incompatibilities known to be contradicted, with the level at which that became true. */
  private readonly contradicted: Array<[Incompatibility<S>, number]> = [];
  private readonly contradictedSet = new Set<Incompatibility<S>>();
  private readonly dependenciesAdded = new Map<string, Set<string>>();
  /** When each package was first named as a dependency: the tie-break between priorities. */
  private readonly firstSeen = new Map<string, number>();

  constructor(private readonly options: SolveOptions<V, S>) {
    this.terms = new TermAlgebra(options.algebra);
    this.solution = new PartialSolution(this.terms);
  }

  async run(): Promise<SolveResult<V, S>> {
    const { rootPackage, rootVersion, algebra } = this.options;
    this.add(new Incompatibility(new Map([[rootPackage, this.terms.negative(algebra.singleton(rootVersion))]]), { kind: "root" }));
    let next = rootPackage;
    for (;;) {
      const failure = this.propagate(next);
      if (failure) return { kind: "failed", incompatibility: failure };
      const chosen = this.pickPackage();
      if (chosen === undefined) return { kind: "solved", solution: new Map(this.solution.decisions()) };
      next = chosen[0];
      await this.decide(chosen[0], chosen[1]);
    }
  }

  private add(incompatibility: Incompatibility<S>): void {
    for (const name of incompatibility.terms.keys()) {
      let list = this.byPackage.get(name);
      if (!list) this.byPackage.set(name, (list = []));
      list.push(incompatibility);
    }
  }

  private markContradicted(incompatibility: Incompatibility<S>): void {
    this.contradicted.push([incompatibility, this.solution.level]);
    this.contradictedSet.add(incompatibility);
  }

  private backtrack(level: number): void {
    this.solution.backtrack(level);
    while (this.contradicted.length > 0 && this.contradicted.at(-1)![1] > level) {
      this.contradictedSet.delete(this.contradicted.pop()![0]);
    }
  }

  /** Unit propagation from `start`; returns the root incompatibility when solving has failed. */
  private propagate(start: string): Incompatibility<S> | undefined {
    const changed = [start];
    const queued = new Set(changed);
    while (changed.length > 0) {
      const name = changed.pop()!;
      queued.delete(name);
      const list = this.byPackage.get(name) ?? [];
      for (let i = list.length - 1; i >= 0; i--) {
        const incompatibility = list[i]!;
        if (this.contradictedSet.has(incompatibility)) continue;
        const relation = this.solution.relation(incompatibility);
        if (relation.kind === "satisfied") {
          const resolved = this.resolveConflict(incompatibility);
          if (resolved.kind === "failed") return resolved.incompatibility;
          const term = resolved.incompatibility.terms.get(resolved.packageName)!;
          this.solution.derive(resolved.packageName, this.terms.negate(term), resolved.incompatibility);
          this.markContradicted(resolved.incompatibility);
          changed.length = 0;
          queued.clear();
          changed.push(resolved.packageName);
          queued.add(resolved.packageName);
          break;
        }
        if (relation.kind === "almostSatisfied") {
          const term = incompatibility.terms.get(relation.packageName)!;
          this.solution.derive(relation.packageName, this.terms.negate(term), incompatibility);
          this.markContradicted(incompatibility);
          if (!queued.has(relation.packageName)) {
            changed.push(relation.packageName);
            queued.add(relation.packageName);
          }
        } else if (relation.kind === "contradicted") {
          this.markContradicted(incompatibility);
        }
      }
    }
    return undefined;
  }

  private isTerminal(incompatibility: Incompatibility<S>): boolean {
    if (incompatibility.terms.size === 0) return true;
    const only = incompatibility.onlyTerm;
    const { rootPackage, rootVersion, algebra } = this.options;
    return only !== undefined && only[0] === rootPackage && only[1].positive && algebra.contains(only[1].set, rootVersion);
  }

  private resolveConflict(
    conflict: Incompatibility<S>,
  ): { kind: "failed"; incompatibility: Incompatibility<S> } | { kind: "resolved"; incompatibility: Incompatibility<S>; packageName: string } {
    let current = conflict;
    for (;;) {
      if (this.isTerminal(current)) return { kind: "failed", incompatibility: current };
      const { satisfier, previousLevel } = this.solution.findSatisfier(current);
      if (satisfier.cause === undefined || previousLevel !== satisfier.level) {
        this.backtrack(previousLevel);
        if (current !== conflict) this.add(current);
        return { kind: "resolved", incompatibility: current, packageName: satisfier.packageName };
      }
      current = priorCause(this.terms, current, satisfier.cause, satisfier.packageName);
    }
  }

  private pickPackage(): [string, S] | undefined {
    const prioritize = this.options.provider.prioritize?.bind(this.options.provider);
    let best: [string, S] | undefined;
    let bestPriority = -Infinity;
    let bestSeen = Infinity;
    for (const candidate of this.solution.undecided()) {
      const priority = prioritize ? prioritize(candidate[0], candidate[1]) : 0;
      const seen = this.firstSeen.get(candidate[0]) ?? -1;
      if (best === undefined || priority > bestPriority || (priority === bestPriority && seen < bestSeen)) {
        best = candidate;
        bestPriority = priority;
        bestSeen = seen;
      }
    }
    return best;
  }

  private async decide(name: string, set: S): Promise<void> {
    const { provider, algebra } = this.options;
    const version = await provider.chooseVersion(name, set);
    if (version === undefined) {
      this.add(new Incompatibility(new Map([[name, this.terms.positive(set)]]), { kind: "noVersions" }));
      return;
    }
    if (!algebra.contains(set, version)) {
      throw new RangeError(`The provider chose ${name} ${formatVersion(algebra, version)}, outside ${algebra.format(set)}`);
    }
    const key = formatVersion(algebra, version);
    let added = this.dependenciesAdded.get(name);
    if (added?.has(key)) {
      this.solution.decide(name, version);
      return;
    }
    const dependencies = await provider.getDependencies(name, version);
    const self = this.terms.positive(algebra.singleton(version));
    if (dependencies.kind === "unavailable") {
      this.add(new Incompatibility(new Map([[name, self]]), { kind: "unavailable", reason: dependencies.reason }));
      return;
    }
    const selfRange = dependencies.dependencies.get(name);
    if (selfRange !== undefined && !algebra.contains(selfRange, version)) {
      // A package that depends on itself outside its own version can never be used.
      const reason = `depends on itself (${name} ${algebra.format(selfRange)})`;
      this.add(new Incompatibility(new Map([[name, self]]), { kind: "unavailable", reason }));
      return;
    }
    if (!added) this.dependenciesAdded.set(name, (added = new Set()));
    added.add(key);
    let blocked = false;
    for (const [dependency, range] of dependencies.dependencies) {
      if (dependency === name) continue;
      if (!this.firstSeen.has(dependency)) this.firstSeen.set(dependency, this.firstSeen.size);
      const term = this.terms.negative(range);
      this.add(new Incompatibility(new Map([[name, self], [dependency, term]]), { kind: "dependency" }));
      const known = this.solution.known(dependency);
      if (known !== undefined && this.terms.isSubset(known, term)) blocked = true;
    }
    if (!blocked) this.solution.decide(name, version);
  }
}
