import { createVersion, formatVersion, tryParseVersion, versionSortKey, type Cut, type SpecifierSet, type Version } from "../pep440/index.js";

// A bound between versions: a version v lies above it when versionSortKey(v) >= key.
interface Bound {
  readonly key: string;
  /** How to print the bound: `>=v`, `>v`, `<v`, `<=v`; undefined for the unbounded ends. */
  readonly version?: Version;
  readonly kind: Cut["kind"] | "exactlyAfter";
}
type Span = readonly [Bound, Bound];

const lowest: Bound = { key: "", kind: "before" };
const highest: Bound = { key: "\uffff\uffff", kind: "before" };

/**
 * A set of PEP 440 versions as sorted, disjoint half-open intervals of version sort keys: the
 * solver's version sets. Built from specifier sets (through the specifiers' own intervals, so
 * PEP 440's special cases — `<V` excluding V's pre-releases, `>V` excluding V's post-releases,
 * `==V` admitting `V+local` — are exactly those of `SpecifierSet.contains`) or from single
 * versions. Carries no pre-release policy.
 *
 * @example
 * VersionRange.fromSpecifierSet(parseSpecifierSet(">=1.0,!=1.5")).contains(parseVersion("1.5")); // false
 */
export class VersionRange {
  static readonly empty = new VersionRange([]);
  static readonly full = new VersionRange([[lowest, highest]]);

  private constructor(private readonly spans: readonly Span[]) {}

  /** Exactly one version (not its local variants). */
  static singleton(version: Version): VersionRange {
    const key = versionSortKey(version);
    // Every key greater than `key` is >= key + "\0": this bound sits just above `version`.
    return new VersionRange([[{ key, kind: "before", version }, { key: `${key}\u0000`, kind: "exactlyAfter", version }]]);
  }

  static fromSpecifierSet(set: SpecifierSet): VersionRange {
    let range = VersionRange.full;
    for (const specifier of set.specifiers) {
      let part: VersionRange;
      if (specifier.operator === "===") {
        const version = tryParseVersion(specifier.version);
        part = version ? VersionRange.singleton(version) : VersionRange.empty;
      } else {
        part = new VersionRange(
          specifier.intervals.map((interval): Span => [
            interval.lower.version === undefined ? lowest : interval.lower,
            interval.upper.version === undefined ? highest : interval.upper,
          ]),
        ).normalized();
      }
      range = range.intersect(part);
    }
    return range;
  }

  private normalized(): VersionRange {
    const sorted = this.spans.filter(([a, b]) => a.key < b.key).sort((x, y) => compare(x[0].key, y[0].key));
    const out: Array<[Bound, Bound]> = [];
    for (const [a, b] of sorted) {
      const last = out.at(-1);
      if (last && a.key <= last[1].key) {
        if (b.key > last[1].key) last[1] = b;
      } else out.push([a, b]);
    }
    return new VersionRange(out);
  }

  isEmpty(): boolean {
    return this.spans.length === 0;
  }

  contains(version: Version): boolean {
    const key = versionSortKey(version);
    return this.spans.some(([a, b]) => a.key <= key && key < b.key);
  }

  union(other: VersionRange): VersionRange {
    if (other.spans.length === 0) return this;
    if (this.spans.length === 0) return other;
    return new VersionRange([...this.spans, ...other.spans]).normalized();
  }

  complement(): VersionRange {
    const out: Span[] = [];
    let start = lowest;
    for (const [a, b] of this.spans) {
      if (a.key > start.key) out.push([start, a]);
      start = b;
    }
    if (start.key < highest.key) out.push([start, highest]);
    return new VersionRange(out);
  }

  intersect(other: VersionRange): VersionRange {
    const out: Span[] = [];
    let i = 0;
    let j = 0;
    while (i < this.spans.length && j < other.spans.length) {
      const [a1, b1] = this.spans[i]!;
      const [a2, b2] = other.spans[j]!;
      const lower = a1.key >= a2.key ? a1 : a2;
      const upper = b1.key <= b2.key ? b1 : b2;
      if (lower.key < upper.key) out.push([lower, upper]);
      if (b1.key <= b2.key) i++;
      else j++;
    }
    return new VersionRange(out);
  }

  isSubsetOf(other: VersionRange): boolean {
    return this.intersect(other.complement()).isEmpty();
  }

  equals(other: VersionRange): boolean {
    return this.spans.length === other.spans.length && this.spans.every(([a, b], i) => a.key === other.spans[i]![0].key && b.key === other.spans[i]![1].key);
  }

  /** `>=1.0, <2.0`, `==1.5`, `*` for every version, `∅` for none; alternatives joined with ` | `. */
  toString(): string {
    if (this.spans.length === 0) return "∅";
    return this.spans.map(formatSpan).join(" | ");
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function formatSpan([lower, upper]: Span): string {
  if (lower === lowest && upper === highest) return "*";
  if (lower.version && upper.version && upper.kind === "exactlyAfter" && lower.key === versionSortKey(lower.version)) return `==${formatVersion(lower.version)}`;
  const parts: string[] = [];
  if (lower !== lowest && lower.version) parts.push(`${lower.kind === "before" ? ">=" : ">"}${formatVersion(lower.version)}`);
  if (upper !== highest && upper.version) parts.push(upper.kind === "before" ? `<${formatUpper(upper.version)}` : `<=${formatVersion(upper.version)}`);
  return parts.join(", ");
}

// `<2.0` is stored as "before 2.0.dev0" and `<=1.0` as "before 1.0.post0.dev0"; print them the way they were written.
function formatUpper(version: Version): string {
  if (version.post === 0 && version.dev === 0 && version.pre === undefined && version.local === undefined) {
    return `=${formatVersion(createVersion({ epoch: version.epoch, release: version.release }))}`;
  }
  if (version.dev === 0 && version.pre === undefined && version.post === undefined && version.local === undefined) {
    return formatVersion(createVersion({ epoch: version.epoch, release: version.release }));
  }
  return formatVersion(version);
}
