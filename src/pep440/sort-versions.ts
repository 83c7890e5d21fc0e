import { KilnError } from "../core/index.js";
import { quote } from "./parse-version.js";
import { versionKeyOfText } from "./scan-version.js";
import { compareVersions } from "./compare-versions.js";
import type { Version } from "./version.js";
import { maximumTag, tagOf } from "./version-key.js";

/**
 * Sorts versions ascending (PEP 440 order, stable for equal versions such as `1.0` and
 * `1.0.0`) into a new array.
 *
 * @example
 * sortVersions(["2.0", "1.10", "1.9"].map(parseVersion)).map(formatVersion); // ["1.9", "1.10", "2.0"]
 */
export function sortVersions<T extends Version>(versions: readonly T[]): T[] {
  return [...versions].sort(compareVersions);
}

/**
 * Sorts version strings by PEP 440 order into a new array, keeping each string as written
 * (stable for equal versions): what `sorted(texts, key=Version)` does in Python. About twice as
 * fast as parsing to `Version` objects and sorting those: no version object is made, and the
 * keys, tagged with their positions, sort with the engine's native string sort instead of a
 * comparison callback. Throws a `KilnError` (`invalidVersion`) for an invalid version.
 *
 * @example
 * sortVersionStrings(["1.0", "1.0rc1", "v0.9", "1.0.post1"]); // ["v0.9", "1.0rc1", "1.0", "1.0.post1"]
 */
export function sortVersionStrings(texts: readonly string[]): string[] {
  if (texts.length > maximumTag) {
    const entries = texts.map((text) => ({ text, key: versionKeyOfText(text) ?? invalid(text) }));
    entries.sort((a, b) => (a.key === b.key ? 0 : a.key < b.key ? -1 : 1));
    return entries.map((entry) => entry.text);
  }
  const keys = new Array<string>(texts.length);
  for (let index = 0; index < texts.length; index++) keys[index] = versionKeyOfText(texts[index]!, index) ?? invalid(texts[index]!);
  keys.sort();
  const sorted = new Array<string>(texts.length);
  for (let index = 0; index < keys.length; index++) sorted[index] = texts[tagOf(keys[index]!)]!;
  return sorted;
}

function invalid(text: string): never {
  throw new KilnError("invalidVersion", `Cannot sort version ${quote(text)}: not a valid PEP 440 version`, {
    hint: "Filter the list with tryParseVersion first, or fix the version",
  });
}
