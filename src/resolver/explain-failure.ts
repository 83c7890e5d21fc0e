import { Incompatibility } from "./incompatibility.js";
import { TermAlgebra, type Term } from "./term.js";
import { isFull, type VersionSetAlgebra } from "./version-set.js";

/** Words for the root package, which is named without a version. */
export interface RootWording {
  /** Default `root`. */
  subject: string;
  /** Default `depends on`; `require` for "you require foo". */
  dependsOn: string;
  /** Default `requires`. */
  requires: string;
}

/** Options for {@link explainFailure}. */
export interface ExplainOptions<V, S> {
  algebra: VersionSetAlgebra<V, S>;
  rootPackage: string;
  rootWording?: RootWording;
  /** Text for a package with versions in a set; default `name set`. */
  formatTerm?: (name: string, set: S) => string;
  /** How an unusable selection is described; default `is forbidden`. */
  forbidden?: string;
  /** "There is no version of X" in other words; the default is just that. */
  noVersions?: (term: string) => string;
  /** The conclusion; default `version solving failed`. */
  failure?: string;
  /**
   * Rewrites a set before it is printed, usually to the simplest set with the same available
   * versions (`>=1.0.1, <1.1.0 || >=1.1.1, <2.0.0` becomes `<1.1.0` when only 1.0.0 and 1.1.0 exist).
   */
  simplify?: (name: string, set: S) => S;
}

type Line = { message: string; number?: number };
type Entry<S> = [string, Term<S>];

/**
 * Explains a failed resolution in plain words, following PubGrub's error-reporting algorithm:
 * a depth-first walk of the derivation graph, one line per derived fact, with line numbers only
 * for facts that are referred to again later.
 *
 * @example
 * const result = await solve(options);
 * if (result.kind === "failed") console.log(explainFailure(result.incompatibility, { algebra, rootPackage: "root" }));
 */
export function explainFailure<V, S>(incompatibility: Incompatibility<S>, options: ExplainOptions<V, S>): string {
  return new Writer(collapseNoVersions(incompatibility), options).write();
}

/**
 * Folds "there is no version of foo in R" into the neighbouring fact about foo, so that
 * `foo 1.0 depends on bar` plus "no other foo in ^1" reads `foo ^1 depends on bar`. A derived
 * neighbour is folded only when nothing else refers to it, so no fact is explained twice.
 */
function collapseNoVersions<S>(root: Incompatibility<S>): Incompatibility<S> {
  const parents = new Map<Incompatibility<S>, number>();
  const countParents = (incompatibility: Incompatibility<S>) => {
    const seen = parents.get(incompatibility);
    parents.set(incompatibility, (seen ?? 0) + 1);
    const cause = incompatibility.cause;
    if (seen === undefined && cause.kind === "derived") {
      countParents(cause.conflict);
      countParents(cause.other);
    }
  };
  countParents(root);
  const done = new Map<Incompatibility<S>, Incompatibility<S>>();
  const absorb = (derived: Incompatibility<S>, noVersions: Incompatibility<S>, other: Incompatibility<S>, collapsedOther: Incompatibility<S>) => {
    if (noVersions.cause.kind !== "noVersions" || other.cause.kind === "root") return undefined;
    if (other.isDerived && parents.get(other)! > 1) return undefined;
    if (derived.terms.size !== other.terms.size) return undefined;
    for (const [name, term] of derived.terms) {
      if (other.terms.get(name)?.positive !== term.positive) return undefined;
    }
    if (!other.terms.get(noVersions.onlyTerm![0])?.positive) return undefined;
    return new Incompatibility(derived.terms, collapsedOther.cause);
  };
  const visit = (incompatibility: Incompatibility<S>): Incompatibility<S> => {
    const cause = incompatibility.cause;
    if (cause.kind !== "derived") return incompatibility;
    const cached = done.get(incompatibility);
    if (cached) return cached;
    const conflict = visit(cause.conflict);
    const other = visit(cause.other);
    let result =
      absorb(incompatibility, cause.conflict, cause.other, other) ?? absorb(incompatibility, cause.other, cause.conflict, conflict);
    if (!result && (conflict !== cause.conflict || other !== cause.other)) {
      result = new Incompatibility(incompatibility.terms, { kind: "derived", conflict, other });
    }
    done.set(incompatibility, result ?? incompatibility);
    return result ?? incompatibility;
  };
  return visit(root);
}

class Writer<V, S> {
  private readonly lines: Line[] = [];
  private readonly numbers = new Map<Incompatibility<S>, number>();
  private readonly derivations = new Map<Incompatibility<S>, number>();
  private readonly terms: TermAlgebra<V, S>;
  private readonly root: RootWording;
  private readonly forbidden: string;

  constructor(
    private readonly failure: Incompatibility<S>,
    private readonly options: ExplainOptions<V, S>,
  ) {
    this.terms = new TermAlgebra(options.algebra);
    this.root = options.rootWording ?? { subject: "root", dependsOn: "depends on", requires: "requires" };
    this.forbidden = options.forbidden ?? "is forbidden";
    this.count(failure);
  }

  write(): string {
    if (this.failure.isDerived) this.visit(this.failure, false);
    else this.lines.push({ message: `Because ${this.describe(this.failure)}, ${this.options.failure ?? "version solving failed"}.` });
    const last = [...this.numbers.values()].at(-1);
    const padding = last === undefined ? 0 : `(${last}) `.length;
    const out: string[] = [];
    for (const line of this.lines) {
      if (line.message === "") {
        if (out.at(-1) !== "") out.push("");
        continue;
      }
      const prefix = line.number === undefined ? "" : `(${line.number})`;
      out.push(prefix.padEnd(padding) + line.message);
    }
    return out.join("\n");
  }

  private count(incompatibility: Incompatibility<S>): void {
    const seen = this.derivations.get(incompatibility);
    this.derivations.set(incompatibility, (seen ?? 0) + 1);
    if (seen === undefined && incompatibility.cause.kind === "derived") {
      this.count(incompatibility.cause.conflict);
      this.count(incompatibility.cause.other);
    }
  }

  private emit(incompatibility: Incompatibility<S>, message: string, numbered: boolean): void {
    if (!numbered) {
      this.lines.push({ message });
      return;
    }
    const number = this.numbers.size + 1;
    this.numbers.set(incompatibility, number);
    this.lines.push({ message, number });
  }

  private visit(incompatibility: Incompatibility<S>, conclusion: boolean): void {
    const numbered = conclusion || this.derivations.get(incompatibility)! > 1;
    const conjunction = conclusion || incompatibility === this.failure ? "So," : "And";
    const text = this.describe(incompatibility);
    const cause = incompatibility.cause;
    if (cause.kind !== "derived") throw new RangeError("Only derived incompatibilities are visited");
    const { conflict, other } = cause;
    if (conflict.isDerived && other.isDerived) {
      const conflictLine = this.numbers.get(conflict);
      const otherLine = this.numbers.get(other);
      if (conflictLine !== undefined && otherLine !== undefined) {
        this.emit(incompatibility, `Because ${this.and(conflict, other, conflictLine, otherLine)}, ${text}.`, numbered);
      } else if (conflictLine !== undefined || otherLine !== undefined) {
        const [withLine, withoutLine, line] =
          conflictLine !== undefined ? [conflict, other, conflictLine] : [other, conflict, otherLine!];
        this.visit(withoutLine, false);
        this.emit(incompatibility, `${conjunction} because ${this.describe(withLine)} (${line}), ${text}.`, numbered);
      } else if (isSingleLine(conflict) || isSingleLine(other)) {
        const [first, second] = isSingleLine(other) ? [conflict, other] : [other, conflict];
        this.visit(first, false);
        this.visit(second, false);
        this.emit(incompatibility, `Thus, ${text}.`, numbered);
      } else {
        this.visit(conflict, true);
        this.lines.push({ message: "" });
        this.visit(other, false);
        const line = this.numbers.get(conflict);
        this.emit(incompatibility, `${conjunction} because ${this.describe(conflict)} (${line}), ${text}.`, numbered);
      }
    } else if (conflict.isDerived || other.isDerived) {
      const [derived, external] = conflict.isDerived ? [conflict, other] : [other, conflict];
      const derivedLine = this.numbers.get(derived);
      if (derivedLine !== undefined) {
        this.emit(incompatibility, `Because ${this.and(external, derived, undefined, derivedLine)}, ${text}.`, numbered);
      } else if (this.isCollapsible(derived)) {
        const inner = derived.cause as { conflict: Incompatibility<S>; other: Incompatibility<S> };
        const [innerDerived, innerExternal] = inner.conflict.isDerived ? [inner.conflict, inner.other] : [inner.other, inner.conflict];
        this.visit(innerDerived, false);
        this.emit(incompatibility, `${conjunction} because ${this.and(innerExternal, external)}, ${text}.`, numbered);
      } else {
        this.visit(derived, false);
        this.emit(incompatibility, `${conjunction} because ${this.describe(external)}, ${text}.`, numbered);
      }
    } else {
      this.emit(incompatibility, `Because ${this.and(conflict, other)}, ${text}.`, numbered);
    }
  }

  private isCollapsible(incompatibility: Incompatibility<S>): boolean {
    if (this.derivations.get(incompatibility)! > 1) return false;
    const cause = incompatibility.cause;
    if (cause.kind !== "derived") return false;
    if (cause.conflict.isDerived === cause.other.isDerived) return false;
    const complex = cause.conflict.isDerived ? cause.conflict : cause.other;
    return !this.numbers.has(complex);
  }

  // ---- one incompatibility in words ----

  private isFailure(incompatibility: Incompatibility<S>): boolean {
    const only = incompatibility.onlyTerm;
    return incompatibility.terms.size === 0 || (only !== undefined && only[0] === this.options.rootPackage && only[1].positive);
  }

  private isRoot(name: string): boolean {
    return name === this.options.rootPackage;
  }

  /** A package and its versions; `every version of foo` when allowed and the set is full. */
  private terse([name, term]: Entry<S>, allowEvery = false): string {
    if (this.isRoot(name)) return this.root.subject;
    const set = this.options.simplify ? this.options.simplify(name, term.set) : term.set;
    if (isFull(this.options.algebra, set)) return allowEvery ? `every version of ${name}` : name;
    return this.options.formatTerm ? this.options.formatTerm(name, set) : `${name} ${this.options.algebra.format(set)}`;
  }

  private noVersions(term: string): string {
    return this.options.noVersions ? this.options.noVersions(term) : `there is no version of ${term}`;
  }

  private verb(subject: Entry<S>, kind: "dependsOn" | "requires"): string {
    if (this.isRoot(subject[0])) return this.root[kind];
    return kind === "dependsOn" ? "depends on" : "requires";
  }

  private describe(incompatibility: Incompatibility<S>): string {
    const entries = [...incompatibility.terms];
    const cause = incompatibility.cause;
    if (cause.kind === "dependency") {
      const [depender, dependee] = entries as [Entry<S>, Entry<S>];
      return `${this.terse(depender, true)} ${this.verb(depender, "dependsOn")} ${this.terse(dependee)}`;
    }
    if (cause.kind === "noVersions") return this.noVersions(this.terse(entries[0]!));
    if (cause.kind === "unavailable") return `${this.terse(entries[0]!, true)} ${cause.reason}`;
    if (cause.kind === "root") return `${this.root.subject} ${this.forbidden}`;
    if (this.isFailure(incompatibility)) return this.options.failure ?? "version solving failed";
    if (entries.length === 1) {
      const [entry] = entries as [Entry<S>];
      return `${this.terse(entry)} ${entry[1].positive ? this.forbidden : "is required"}`;
    }
    if (entries.length === 2 && entries[0]![1].positive === entries[1]![1].positive) {
      const [first, second] = entries as [Entry<S>, Entry<S>];
      if (first[1].positive) return `${this.terse(first)} is incompatible with ${this.terse(second)}`;
      return `either ${this.terse(first)} or ${this.terse(second)}`;
    }
    const positive = entries.filter((e) => e[1].positive);
    const negative = entries.filter((e) => !e[1].positive).map((e) => this.terse(e));
    if (positive.length > 0 && negative.length > 0) {
      if (positive.length === 1) return `${this.terse(positive[0]!, true)} ${this.verb(positive[0]!, "requires")} ${negative.join(" or ")}`;
      return `if ${positive.map((e) => this.terse(e)).join(" and ")} then ${negative.join(" or ")}`;
    }
    if (positive.length > 0) return `one of ${positive.map((e) => this.terse(e)).join(" or ")} must be false`;
    return `one of ${negative.join(" or ")} must be true`;
  }

  /** Two incompatibilities in one clause, merged into a chain where the shapes allow. */
  private and(first: Incompatibility<S>, second: Incompatibility<S>, firstLine?: number, secondLine?: number): string {
    return (
      this.requiresBoth(first, second, firstLine, secondLine) ??
      this.requiresThrough(first, second, firstLine, secondLine) ??
      this.requiresForbidden(first, second, firstLine, secondLine) ??
      `${this.describe(first)}${ref(firstLine)} and ${this.describe(second)}${ref(secondLine)}`
    );
  }

  private requiresBoth(first: Incompatibility<S>, second: Incompatibility<S>, firstLine?: number, secondLine?: number): string | undefined {
    if (first.terms.size === 1 || second.terms.size === 1) return undefined;
    const firstPositive = single(first, true);
    const secondPositive = single(second, true);
    if (!firstPositive || !secondPositive || firstPositive[0] !== secondPositive[0]) return undefined;
    const negatives = (i: Incompatibility<S>) => [...i.terms].filter((e) => !e[1].positive).map((e) => this.terse(e)).join(" or ");
    const bothDependencies = first.cause.kind === "dependency" && second.cause.kind === "dependency";
    const verb = this.verb(firstPositive, bothDependencies ? "dependsOn" : "requires");
    return `${this.terse(firstPositive, true)} ${verb} both ${negatives(first)}${ref(firstLine)} and ${negatives(second)}${ref(secondLine)}`;
  }

  private requiresThrough(first: Incompatibility<S>, second: Incompatibility<S>, firstLine?: number, secondLine?: number): string | undefined {
    if (first.terms.size === 1 || second.terms.size === 1) return undefined;
    const chain = (prior: Incompatibility<S>, latter: Incompatibility<S>) => {
      const negative = single(prior, false);
      const positive = single(latter, true);
      return negative && positive && negative[0] === positive[0] && this.terms.isSubset(this.terms.negate(negative[1]), positive[1]) ? negative : undefined;
    };
    let prior = first, latter = second, priorLine = firstLine, latterLine = secondLine;
    let priorNegative = chain(first, second);
    if (!priorNegative) {
      [prior, latter, priorLine, latterLine] = [second, first, secondLine, firstLine];
      priorNegative = chain(second, first);
    }
    if (!priorNegative) return undefined;
    const positives = [...prior.terms].filter((e) => e[1].positive);
    const head =
      positives.length > 1
        ? `if ${positives.map((e) => this.terse(e)).join(" or ")} then`
        : `${this.terse(positives[0]!, true)} ${this.verb(positives[0]!, prior.cause.kind === "dependency" ? "dependsOn" : "requires")}`;
    const latterNegatives = [...latter.terms].filter((e) => !e[1].positive).map((e) => this.terse(e)).join(" or ");
    const latterVerb = latter.cause.kind === "dependency" ? "depends on" : "requires";
    return `${head} ${this.terse(priorNegative)}${ref(priorLine)} which ${latterVerb} ${latterNegatives}${ref(latterLine)}`;
  }

  private requiresForbidden(first: Incompatibility<S>, second: Incompatibility<S>, firstLine?: number, secondLine?: number): string | undefined {
    if (first.terms.size !== 1 && second.terms.size !== 1) return undefined;
    const [prior, latter, priorLine, latterLine] =
      first.terms.size === 1 ? [second, first, secondLine, firstLine] : [first, second, firstLine, secondLine];
    const negative = single(prior, false);
    const latterTerm = latter.onlyTerm!;
    if (!negative || negative[0] !== latterTerm[0] || !this.terms.isSubset(this.terms.negate(negative[1]), latterTerm[1])) return undefined;
    const positives = [...prior.terms].filter((e) => e[1].positive);
    if (positives.length === 0) return undefined;
    const head =
      positives.length > 1
        ? `if ${positives.map((e) => this.terse(e)).join(" or ")} then`
        : `${this.terse(positives[0]!, true)} ${this.verb(positives[0]!, prior.cause.kind === "dependency" ? "dependsOn" : "requires")}`;
    const cause = latter.cause;
    if (cause.kind === "noVersions" && this.options.noVersions) {
      return `${head} ${this.terse(latterTerm)}${ref(priorLine)} and ${this.noVersions(this.terse(latterTerm))}${ref(latterLine)}`;
    }
    const tail =
      cause.kind === "noVersions" ? "which doesn't match any versions" : cause.kind === "unavailable" ? `which ${cause.reason}` : `which ${this.forbidden}`;
    return `${head} ${this.terse(latterTerm)}${ref(priorLine)} ${tail}${ref(latterLine)}`;
  }
}

function ref(line: number | undefined): string {
  return line === undefined ? "" : ` (${line})`;
}

function single<S>(incompatibility: Incompatibility<S>, positive: boolean): Entry<S> | undefined {
  const matching = [...incompatibility.terms].filter((e) => e[1].positive === positive);
  return matching.length === 1 ? matching[0] : undefined;
}

function isSingleLine<S>(incompatibility: Incompatibility<S>): boolean {
  const cause = incompatibility.cause;
  return cause.kind === "derived" && !cause.conflict.isDerived && !cause.other.isDerived;
}
