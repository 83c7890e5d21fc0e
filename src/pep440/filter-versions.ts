import { formatVersion } from "./format-version.js";
import { tryParseVersion } from "./parse-version.js";
import type { PrereleaseOptions } from "./specifier.js";
import type { SpecifierSet } from "./specifier-set.js";
import { VersionValue, type Version } from "./version.js";
import { isPrerelease } from "./version-kinds.js";

/**
 * The candidates that satisfy `set`, in their original order, with PEP 440's pre-release rule
 * for choosing among candidates (`packaging`'s `SpecifierSet.filter`):
 * - `prereleases: true`, or unset when a specifier names a pre-release (`>=1.0b1`): every
 *   matching candidate;
 * - `prereleases: false`: matching final releases only;
 * - unset: matching final releases, or the matching pre-releases if no final release matches.
 *
 * Strings that are not valid versions are dropped, except where only `===` specifiers (or no
 * specifiers) apply, as in `packaging`.
 *
 * @example
 * filterVersions(parseSpecifierSet(">=1.0"), ["0.9", "1.0", "2.0a1"]); // ["1.0"]
 * filterVersions(parseSpecifierSet(">=1.0"), ["0.9", "2.0a1"]); // ["2.0a1"]
 */
export function filterVersions<T extends Version | string>(set: SpecifierSet, versions: Iterable<T>, options: PrereleaseOptions = {}): T[] {
  const prereleases = options.prereleases ?? set.namesPrerelease;
  const matched: { item: T; parsed: Version | undefined }[] = [];
  for (const item of versions) {
    const parsed = typeof item === "string" ? tryParseVersion(item) : (item as Version);
    if (matches(set, item, parsed)) matched.push({ item, parsed });
  }
  if (prereleases === true) return matched.map((entry) => entry.item);
  const isFinal = (entry: { parsed: Version | undefined }) => entry.parsed === undefined || !isPrerelease(entry.parsed);
  if (prereleases === false) return matched.filter(isFinal).map((entry) => entry.item);
  const hasFinal = matched.some((entry) => entry.parsed !== undefined && !isPrerelease(entry.parsed));
  return (hasFinal ? matched.filter(isFinal) : matched).map((entry) => entry.item);
}

function matches(set: SpecifierSet, item: Version | string, parsed: Version | undefined): boolean {
  const specifiers = set.specifiers;
  if (specifiers.length === 0) return true;
  let text: string | undefined;
  for (const specifier of specifiers) {
    if (specifier.operator === "===") {
      text ??= typeof item === "string" ? item : formatVersion(item);
      if (!specifier.matchesText(text)) return false;
    } else if (parsed === undefined || !specifier.admitsKey(VersionValue.keyOf(parsed))) return false;
  }
  return true;
}
