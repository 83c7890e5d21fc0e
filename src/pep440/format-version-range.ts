import { cutAfter, cutAfterLocals, highestCut, lowestCut, type Cut } from "./cut.js";
import type { Interval } from "./specifier-intervals.js";
import { digitsOf, formatDigits, VersionValue, type Version } from "./version.js";
import { isPrerelease } from "./version-kinds.js";
import type { VersionDigits } from "./version-key.js";

/**
 * Writes intervals the way a person reads them: PEP 440 specifiers where one means exactly the
 * bound (`>=1.0`, `<2.0`, `>1.0`, `<=1.0`, `==1.4.*`, `!=1.5`), words where none does, runs of
 * intervals separated by `||`.
 *
 * @example
 * formatVersionRange(VersionRange.fromSpecifierSet(parseSpecifierSet(">=1.0,!=1.5,<2.0")).intervals);
 * // ">=1.0, !=1.5, <2.0"
 */
export function formatVersionRange(intervals: readonly Interval[]): string {
  if (intervals.length === 0) return "∅";
  const runs: string[] = [];
  let run: Interval[] = [intervals[0]!];
  let gaps: string[] = [];
  for (let index = 1; index < intervals.length; index++) {
    const gap = gapClause(intervals[index - 1]!.upper, intervals[index]!.lower);
    if (gap === undefined) {
      runs.push(formatRun(run, gaps));
      run = [];
      gaps = [];
    } else gaps.push(gap);
    run.push(intervals[index]!);
  }
  runs.push(formatRun(run, gaps));
  return runs.join(" || ");
}

function formatRun(run: readonly Interval[], gaps: readonly string[]): string {
  if (run.length === 1) {
    const equality = equalityClause(run[0]!);
    if (equality !== undefined) return equality;
  }
  const clauses = [lowerClause(run[0]!.lower), ...gaps, upperClause(run[run.length - 1]!.upper)].filter((clause) => clause !== undefined);
  return clauses.length === 0 ? "*" : clauses.join(", ");
}

/** `==V`, `==V+local` or `==P.*` when the interval is exactly that. */
function equalityClause(interval: Interval): string | undefined {
  const { lower, upper } = interval;
  const version = lower.version;
  if (lower.kind !== "before" || version === undefined) return undefined;
  if (version.local === undefined && upper.key === cutAfterLocals(version).key) return `==${text(version)}`;
  if (upper.key === cutAfter(version).key) return `==${text(version)}${version.local === undefined ? " (excluding local versions)" : ""}`;
  const prefix = wildcardPrefix(lower, upper);
  return prefix === undefined ? undefined : `==${prefix}.*`;
}

/** `!=V` or `!=P.*` when the gap between two intervals is exactly that. */
function gapClause(upper: Cut, lower: Cut): string | undefined {
  const version = upper.version;
  if (upper.kind !== "before" || version === undefined) return undefined;
  const excluded = version.local === undefined ? cutAfterLocals(version) : cutAfter(version);
  if (lower.key === excluded.key) return `!=${text(version)}`;
  const prefix = wildcardPrefix(upper, lower);
  return prefix === undefined ? undefined : `!=${prefix}.*`;
}

/** P when `[start, end)` is `[P.dev0, P'.dev0)` with P' the prefix P with its last number plus one. */
function wildcardPrefix(start: Cut, end: Cut): string | undefined {
  if (start.kind !== "before" || end.kind !== "before" || start.version === undefined || end.version === undefined) return undefined;
  const next = digitsOf(end.version);
  if (!isDev0Release(next)) return undefined;
  const last = next.release[next.release.length - 1]!;
  if (last === "0") return undefined;
  const prefix: VersionDigits = { epoch: next.epoch, release: [...next.release.slice(0, -1), decrement(last)] };
  return VersionValue.keyOf(start.version) === VersionValue.keyOf(VersionValue.fromDigits({ ...prefix, dev: "0" })) ? formatDigits(prefix) : undefined;
}

function lowerClause(cut: Cut): string | undefined {
  const version = cut.version;
  if (cut.key === lowestCut.key || version === undefined) return undefined;
  if (cut.kind === "afterPostReleases") return `>${text(version)}`;
  const digits = digitsOf(version);
  if (cut.kind === "after") {
    if (digits.local !== undefined) return `>${text(version)}`;
    const what = digits.dev === undefined && digits.post === undefined ? "local versions and post-releases" : "local versions";
    return `>${text(version)} (including its ${what})`;
  }
  // `>1.0a1` starts at 1.0a2.dev0 and `>1.0.post1` at 1.0.post2.dev0: say it the short way.
  if (digits.local === undefined && digits.dev === "0") {
    if (digits.post === undefined && digits.pre !== undefined && digits.pre[1] !== "0") {
      return `>${formatDigits({ epoch: digits.epoch, release: digits.release, pre: [digits.pre[0], decrement(digits.pre[1])] })}`;
    }
    if (digits.post !== undefined && digits.post !== "0") return `>${formatDigits({ ...digits, post: decrement(digits.post), dev: undefined })}`;
  }
  return `>=${text(version)}`;
}

function upperClause(cut: Cut): string | undefined {
  const version = cut.version;
  if (cut.key === highestCut.key || version === undefined) return undefined;
  if (cut.kind === "afterPostReleases") return `<=${text(version)} (including post-releases)`;
  const digits = digitsOf(version);
  if (cut.kind === "after") return `<=${text(version)}${digits.local === undefined ? " (excluding local versions)" : ""}`;
  if (digits.local !== undefined) return `<${text(version)}`;
  if (digits.dev === "0" && digits.post !== undefined) {
    // `<=1.0` ends at 1.0.post0.dev0, `<=1.0.post2` at 1.0.post3.dev0.
    const post = digits.post === "0" ? undefined : decrement(digits.post);
    return `<=${formatDigits({ ...digits, post, dev: undefined })}`;
  }
  if (isDev0Release(digits)) return `<${formatDigits({ epoch: digits.epoch, release: digits.release })}`;
  if (isPrerelease(version)) return `<${text(version)}`;
  return `<${text(version)} (including pre-releases of ${text(version)})`;
}

/** `X.dev0` for a release X without pre, post or local parts: where `<X` ends. */
function isDev0Release(digits: VersionDigits): boolean {
  return digits.dev === "0" && digits.pre === undefined && digits.post === undefined && digits.local === undefined;
}

function text(version: Version): string {
  return formatDigits(digitsOf(version));
}

/** Subtracts one from a positive decimal digit string. */
function decrement(digits: string): string {
  let index = digits.length - 1;
  while (index > 0 && digits.charCodeAt(index) === 0x30) index--;
  const result = digits.slice(0, index) + String.fromCharCode(digits.charCodeAt(index) - 1) + "9".repeat(digits.length - index - 1);
  return result.length > 1 && result.startsWith("0") ? result.slice(1) : result;
}
