import { digitsOf, VersionValue, type Version } from "./version.js";

/**
 * The version without its local segment (`packaging`'s `public`, as a `Version`).
 *
 * @example
 * formatVersion(publicVersion(parseVersion("1.0rc1+ubuntu.2"))); // "1.0rc1"
 */
export function publicVersion(version: Version): Version {
  if (version.local === undefined) return version;
  const digits = digitsOf(version);
  delete digits.local;
  return VersionValue.fromDigits(digits);
}

/**
 * The epoch and release only, without pre, post, dev and local parts (`packaging`'s
 * `base_version`, as a `Version`).
 *
 * @example
 * formatVersion(baseVersion(parseVersion("1!2.0rc1.post2+x"))); // "1!2.0"
 */
export function baseVersion(version: Version): Version {
  const { epoch, release } = digitsOf(version);
  return VersionValue.fromDigits({ epoch, release });
}
