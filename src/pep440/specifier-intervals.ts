import { cutAfter, cutAfterLocals, cutAfterPostReleases, cutBefore, highestCut, lowestCut, withDigits, increment, type Cut } from "./cut.js";
import type { Specifier } from "./specifier.js";
import { digitsOf, type Version } from "./version.js";
import { isPrerelease } from "./version-kinds.js";

/** The versions `v` with `lower.key <= versionSortKey(v) < upper.key`. */
export interface Interval {
  readonly lower: Cut;
  readonly upper: Cut;
}

/**
 * The versions a specifier admits, as sorted disjoint intervals, pre-release policy aside. This
 * is where PEP 440's non-interval rules become intervals:
 * - `<=V` and `==V` take every `V+local` (they end above V's local versions);
 * - `<V` ends at `V.dev0` when V is not a pre-release, excluding V's pre-releases;
 * - `>V` starts above V's post-releases and local versions (unless V is a post or dev release);
 * - `==V.*` is `[V.dev0, W.dev0)` where W is V with its last release number plus one;
 * - `~=V.N` is `>=V.N, ==V.*`;
 * - `!=` is the complement of `==`.
 *
 * `===` compares text, not versions, and has no intervals.
 *
 * @example
 * specifierIntervals(parseSpecifier("<2.0")); // [{ lower: lowestCut, upper: cutBefore(2.0.dev0) }]
 */
export function specifierIntervals(specifier: Specifier): Interval[] {
  const version = specifier.parsedVersion;
  if (version === undefined) return [];
  if (specifier.wildcard) {
    const interval = prefixInterval(version, version.release.length);
    return specifier.operator === "==" ? [interval] : complement(interval);
  }
  const hasLocal = version.local !== undefined;
  switch (specifier.operator) {
    case ">=":
      return [{ lower: cutBefore(version), upper: highestCut }];
    case "<=":
      return [{ lower: lowestCut, upper: cutAfterLocals(version) }];
    case ">":
      return [{ lower: greaterThanStart(version), upper: highestCut }];
    case "<":
      return nonEmpty({ lower: lowestCut, upper: cutBefore(isPrerelease(version) ? version : withDigits(digitsOf(version), { dev: "0" })) });
    case "==":
      return [{ lower: cutBefore(version), upper: hasLocal ? cutAfter(version) : cutAfterLocals(version) }];
    case "!=":
      return complement({ lower: cutBefore(version), upper: hasLocal ? cutAfter(version) : cutAfterLocals(version) });
    case "~=": {
      const prefix = prefixInterval(version, version.release.length - 1);
      return [{ lower: cutBefore(version), upper: prefix.upper }];
    }
    default:
      return [];
  }
}

/** Where `>V` starts: after V's dev release, after V's post-release, or after all of V's post-releases. */
function greaterThanStart(version: Version): Cut {
  const digits = digitsOf(version);
  if (digits.dev !== undefined) return cutBefore(withDigits(digits, { dev: increment(digits.dev) }));
  if (digits.post !== undefined) return cutBefore(withDigits(digits, { post: increment(digits.post), dev: "0" }));
  return cutAfterPostReleases(version);
}

/** `==P.*` for the first `length` release numbers P of `version`: `[P.dev0, P'.dev0)`. */
function prefixInterval(version: Version, length: number): Interval {
  const { epoch, release } = digitsOf(version);
  const prefix = release.slice(0, length);
  const next = [...prefix.slice(0, -1), increment(prefix[prefix.length - 1]!)];
  return {
    lower: cutBefore(withDigits({ epoch, release: prefix }, { dev: "0" })),
    upper: cutBefore(withDigits({ epoch, release: next }, { dev: "0" })),
  };
}

function complement(interval: Interval): Interval[] {
  return [...nonEmpty({ lower: lowestCut, upper: interval.lower }), { lower: interval.upper, upper: highestCut }];
}

function nonEmpty(interval: Interval): Interval[] {
  return interval.lower.key < interval.upper.key ? [interval] : [];
}
