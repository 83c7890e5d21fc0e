import type { Version } from "./version.js";

/**
 * True for pre-releases, which by PEP 440 includes development releases: `1.0a1`, `1.0.dev0`,
 * `1.0.post1.dev1` (`packaging`'s `is_prerelease`).
 *
 * @example
 * isPrerelease(parseVersion("1.0.post1.dev1")); // true
 */
export function isPrerelease(version: Version): boolean {
  return version.pre !== undefined || version.dev !== undefined;
}

/**
 * True for development releases (`.devN`).
 *
 * @example
 * isDevrelease(parseVersion("1.0a1.dev2")); // true
 */
export function isDevrelease(version: Version): boolean {
  return version.dev !== undefined;
}

/**
 * True for post-releases (`.postN`, also written `-N`, `rev`, `r`).
 *
 * @example
 * isPostrelease(parseVersion("1.0-1")); // true
 */
export function isPostrelease(version: Version): boolean {
  return version.post !== undefined;
}
