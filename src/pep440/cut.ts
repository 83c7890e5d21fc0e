import { digitsOf, VersionValue, type Version } from "./version.js";
import { keyAfterPostReleases, keyJustAfter, maximumKey, minimumKey, type VersionDigits } from "./version-key.js";

/**
 * Where a cut sits relative to its `version`:
 * - `before`: just below `version` (`>=version` starts here, `<version` ends here);
 * - `after`: just above `version` but below anything greater (`version` has no local segment
 *   only when this came from a complement: it sits below every `version+local`);
 * - `afterPostReleases`: above every post-release of the final release `version`, and their
 *   dev and local versions, and below the next release (`>1.0` starts here).
 */
export type CutKind = "before" | "after" | "afterPostReleases";

/**
 * A point between versions: the bound of a {@link VersionRange} interval. A version `v` lies
 * above the cut exactly when `versionSortKey(v) >= key`, whatever the kind, so an interval
 * `[lower, upper)` holds `v` when `lower.key <= versionSortKey(v) < upper.key`.
 *
 * Cuts are canonical: two cuts that split the versions the same way have the same key. PEP 440's
 * special bounds that have a least version above them (`<=1.0` ends just below `1.0.post0.dev0`,
 * `>1.0a1` starts at `1.0a2.dev0`) are stored as `before` that version.
 */
export interface Cut {
  readonly key: string;
  readonly kind: CutKind;
  /** The version the cut is next to; undefined only for the unbounded ends. */
  readonly version: Version | undefined;
}

/** Below every version. */
export const lowestCut: Cut = { key: minimumKey, kind: "before", version: undefined };
/** Above every version. */
export const highestCut: Cut = { key: maximumKey, kind: "before", version: undefined };

/** The cut just below `version`. */
export function cutBefore(version: Version): Cut {
  const key = VersionValue.keyOf(version);
  return key === minimumKey ? lowestCut : { key, kind: "before", version };
}

/** The cut just above `version` (below `version+local` when `version` has no local segment). */
export function cutAfter(version: Version): Cut {
  return { key: keyJustAfter(VersionValue.keyOf(version)), kind: "after", version };
}

/**
 * The cut above `version` and all of its local versions (`<=V` ends here), for a version without
 * a local segment: just below the next dev release of a dev release, else just below the next
 * post-release's first dev release (`1.0` → `1.0.post0.dev0`).
 */
export function cutAfterLocals(version: Version): Cut {
  const digits = digitsOf(version);
  delete digits.local;
  if (digits.dev !== undefined) return cutBefore(withDigits(digits, { dev: increment(digits.dev) }));
  const post = digits.post === undefined ? "0" : increment(digits.post);
  return cutBefore(withDigits(digits, { post, dev: "0" }));
}

/**
 * The cut above `version`, its local versions and all of its post-releases (`>V` starts here), for
 * a version without dev, post or local parts. A pre-release has a least version above that
 * (`1.0a1` → `1.0a2.dev0`); a final release does not.
 */
export function cutAfterPostReleases(version: Version): Cut {
  const digits = digitsOf(version);
  if (digits.pre !== undefined) {
    return cutBefore(withDigits({ epoch: digits.epoch, release: digits.release }, { pre: [digits.pre[0], increment(digits.pre[1])], dev: "0" }));
  }
  return { key: keyAfterPostReleases(digits.epoch, digits.release), kind: "afterPostReleases", version };
}

/** A version from digits with some parts replaced. */
export function withDigits(digits: VersionDigits, changes: Partial<VersionDigits>): Version {
  return VersionValue.fromDigits({ ...digits, ...changes });
}

/**
 * Adds one to a non-negative decimal digit string, exactly (no size limit).
 *
 * @example
 * increment("199"); // "200"
 */
export function increment(digits: string): string {
  let index = digits.length - 1;
  while (index >= 0 && digits.charCodeAt(index) === 0x39) index--;
  if (index < 0) return `1${"0".repeat(digits.length)}`;
  return digits.slice(0, index) + String.fromCharCode(digits.charCodeAt(index) + 1) + "0".repeat(digits.length - index - 1);
}
