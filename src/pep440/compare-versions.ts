import { VersionValue, type Version } from "./version.js";

/**
 * Orders two versions by PEP 440 (`packaging`'s ordering, including local versions): negative
 * when `a < b`, 0 when equal (`1.0 == 1.0.0`), positive when `a > b`. Usable with
 * `Array.prototype.sort`.
 *
 * @example
 * ["1.0", "1.0a1", "1.0.post1", "1.0.dev1"].map(parseVersion).sort(compareVersions).map(formatVersion);
 * // ["1.0.dev1", "1.0a1", "1.0", "1.0.post1"]
 */
export function compareVersions(a: Version, b: Version): number {
  const left = VersionValue.keyOf(a);
  const right = VersionValue.keyOf(b);
  // Equality first: it is a cheap length check for most pairs, and saves the second comparison.
  return left === right ? 0 : left < right ? -1 : 1;
}

/**
 * True when two versions are equal under PEP 440 (`1.0 == 1.0.0`, `1.0+AbC == 1.0+abc`).
 *
 * @example
 * versionsEqual(parseVersion("1.0"), parseVersion("1.0.0")); // true
 */
export function versionsEqual(a: Version, b: Version): boolean {
  return VersionValue.keyOf(a) === VersionValue.keyOf(b);
}

/**
 * A string whose ordering (`<`, `===`) is the versions' PEP 440 ordering, for use as a map key
 * or a precomputed sort key. Not a format: do not show or store it.
 *
 * @example
 * versionSortKey(parseVersion("1.0")) === versionSortKey(parseVersion("1.0.0")); // true
 */
export function versionSortKey(version: Version): string {
  return VersionValue.keyOf(version);
}
