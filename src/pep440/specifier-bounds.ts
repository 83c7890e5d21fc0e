import type { Specifier } from "./specifier.js";
import { hugeNumber, maximumKey, minimumKey, numericKeyAfterPostReleases, numericVersionKey, keyJustAfter } from "./version-key.js";
import { VersionValue, type Version } from "./version.js";

/**
 * The versions a specifier admits as flat sorted key bounds `[lower0, upper0, lower1, upper1…]`
 * (`lower <= key < upper`), computed straight from the version's numbers without creating
 * versions: the fast path of `contains`, which `specifierIntervals` (the same rules, with the
 * versions kept for display) mirrors. A property test checks that both agree. Versions with
 * numbers near 2^48 or beyond take the interval path.
 *
 * @example
 * specifierBounds(parseSpecifier(">=1.0")); // [key of 1.0, maximumKey]
 */
export function specifierBounds(specifier: Specifier): string[] | undefined {
  const version = specifier.parsedVersion;
  if (version === undefined || !fitsFastPath(version)) return undefined;
  if (specifier.wildcard) return wildcardBounds(specifier.operator === "==", version.epoch, version.release);
  const { epoch, release, pre, post, dev, local } = version;
  const own = VersionValue.keyOf(version);
  switch (specifier.operator) {
    case ">=":
      return [own, maximumKey];
    case "<=":
      return [minimumKey, keyAfterLocals(version)];
    case ">": {
      if (dev !== undefined) return [keyWith(version, pre?.[1] ?? 0, post, dev + 1), maximumKey];
      if (post !== undefined) return [keyWith(version, pre?.[1] ?? 0, post + 1, 0), maximumKey];
      if (pre !== undefined) return [keyWith(version, pre[1] + 1, undefined, 0), maximumKey];
      return [numericKeyAfterPostReleases(epoch, release), maximumKey];
    }
    case "<": {
      const upper = pre !== undefined || dev !== undefined ? own : keyWith(version, pre?.[1] ?? 0, post, 0);
      return upper > minimumKey ? [minimumKey, upper] : [];
    }
    case "==":
      return [own, local === undefined ? keyAfterLocals(version) : keyJustAfter(own)];
    case "!=": {
      const upper = local === undefined ? keyAfterLocals(version) : keyJustAfter(own);
      return own > minimumKey ? [minimumKey, own, upper, maximumKey] : [upper, maximumKey];
    }
    case "~=": {
      const prefix = release.slice(0, -1);
      const next = [...prefix.slice(0, -1), prefix[prefix.length - 1]! + 1];
      return [own, numericVersionKey(epoch, next, next.length, undefined, 0, undefined, 0, undefined)];
    }
    default:
      return undefined;
  }
}

/** The key of `version` (local dropped) with other pre number, post and dev parts. */
function keyWith(version: Version, preNumber: number, post: number | undefined, dev: number | undefined): string {
  return numericVersionKey(version.epoch, version.release, version.release.length, version.pre?.[0], preNumber, post, dev, undefined);
}

/** The least version above V and all V+local: V.dev(N+1), else V.post(M+1).dev0 or V.post0.dev0. */
function keyAfterLocals(version: Version): string {
  const preNumber = version.pre?.[1] ?? 0;
  if (version.dev !== undefined) return keyWith(version, preNumber, version.post, version.dev + 1);
  return keyWith(version, preNumber, version.post === undefined ? 0 : version.post + 1, 0);
}

function wildcardBounds(equal: boolean, epoch: number, release: readonly number[]): string[] {
  const next = [...release.slice(0, -1), release[release.length - 1]! + 1];
  const lower = numericVersionKey(epoch, release, release.length, undefined, 0, undefined, 0, undefined);
  const upper = numericVersionKey(epoch, next, next.length, undefined, 0, undefined, 0, undefined);
  if (equal) return [lower, upper];
  return lower > minimumKey ? [minimumKey, lower, upper, maximumKey] : [upper, maximumKey];
}

/** Every number small enough that adding one stays below the digit-string form. */
function fitsFastPath(version: Version): boolean {
  if (VersionValue.exactTextOf(version) !== undefined) return false;
  const limit = hugeNumber - 1;
  if (version.epoch >= limit || (version.pre !== undefined && version.pre[1] >= limit)) return false;
  if ((version.post ?? 0) >= limit || (version.dev ?? 0) >= limit) return false;
  for (const part of version.release) if (part >= limit) return false;
  return true;
}
