import { KilnError } from "../core/index.js";
import { formatVersion } from "./format-version.js";
import { quote, tryParseVersion } from "./parse-version.js";
import { skipPythonWhitespace, trimEndIndex } from "./python-whitespace.js";
import { parseSpecifier, parseSpecifierRange, type PrereleaseOptions, type Specifier } from "./specifier.js";
import { scannedPrerelease, versionKeyOfText } from "./scan-version.js";
import { digitsOf, formatDigits, VersionValue, type Version } from "./version.js";
import { isPrerelease } from "./version-kinds.js";

/**
 * A comma-separated list of specifiers, all of which a version must satisfy; empty admits every
 * version. Build it with {@link parseSpecifierSet}.
 *
 * @example
 * const set = parseSpecifierSet(">=1.0, !=1.3.*, <2");
 * set.contains("1.4"); // true
 * set.contains("1.3.1"); // false
 */
export class SpecifierSet {
  /** The specifiers in the order written. */
  readonly specifiers: readonly Specifier[];
  readonly #hasArbitrary: boolean;

  constructor(specifiers: readonly Specifier[]) {
    this.specifiers = specifiers;
    let hasArbitrary = false;
    for (const specifier of specifiers) if (specifier.operator === "===") hasArbitrary = true;
    this.#hasArbitrary = hasArbitrary;
  }

  /**
   * Whether filtering admits pre-releases because a specifier names one (`packaging`'s
   * `SpecifierSet.prereleases`): true or undefined, never false.
   */
  get namesPrerelease(): true | undefined {
    return this.specifiers.some((specifier) => specifier.namesPrerelease === true) ? true : undefined;
  }

  /**
   * True when `version` satisfies every specifier, following `packaging` 26:
   * - `prereleases: false` rejects every pre-release (even `==1.0a1`);
   * - otherwise (true or unset) a pre-release is judged like any version: a single version has no
   *   alternatives, and PEP 440 admits pre-releases when nothing else satisfies the set. To
   *   prefer final releases among candidates, use `filterVersions`;
   * - a string that is not a valid version satisfies only `===` specifiers with the same text
   *   (case-insensitive), and an empty set, which admits anything;
   * - `===` compares the text given (a `Version` by its normalized text), so `===1.0` admits
   *   "1.0" but not "1.0.0".
   *
   * @example
   * parseSpecifierSet(">1.0").contains("1.0.post1"); // false: >V excludes V's post-releases
   * parseSpecifierSet("==1.0").contains("1.0+local"); // true
   * parseSpecifierSet("<2.0").contains("2.0a1"); // false
   * parseSpecifierSet(">=1.0").contains("2.0a1", { prereleases: false }); // false
   */
  contains(version: Version | string, options: PrereleaseOptions = {}): boolean {
    const specifiers = this.specifiers;
    if (typeof version === "string" && specifiers.length > 0 && !this.#hasArbitrary) {
      // The common case, without creating a version object.
      const key = versionKeyOfText(version);
      if (key === undefined || (options.prereleases === false && scannedPrerelease())) return false;
      for (let index = 0; index < specifiers.length; index++) if (!specifiers[index]!.admitsKey(key)) return false;
      return true;
    }
    const parsed = typeof version === "string" ? tryParseVersion(version) : version;
    if (specifiers.length === 0) return parsed === undefined || !(options.prereleases === false && isPrerelease(parsed));
    if (this.#hasArbitrary) return this.#containsArbitrary(version, parsed, options);
    if (parsed === undefined) return false;
    if (options.prereleases === false && isPrerelease(parsed)) return false;
    const key = VersionValue.keyOf(parsed);
    for (let index = 0; index < specifiers.length; index++) if (!specifiers[index]!.admitsKey(key)) return false;
    return true;
  }

  /** With `===`, the text given is compared as is, and unparsable text can match. */
  #containsArbitrary(version: Version | string, parsed: Version | undefined, options: PrereleaseOptions): boolean {
    const text = typeof version === "string" ? version : formatVersion(version);
    for (const specifier of this.specifiers) {
      if (specifier.operator === "===") {
        if (!specifier.matchesText(text)) return false;
      } else if (parsed === undefined || !specifier.admitsKey(VersionValue.keyOf(parsed))) return false;
    }
    return !(options.prereleases === false && parsed !== undefined && isPrerelease(parsed));
  }

  /**
   * The set as `packaging` prints it: specifiers sorted by text, duplicates (by normalized
   * version) dropped, joined with `,`.
   *
   * @example
   * parseSpecifierSet("<2, >=1.0, >=1.0.0").toString(); // "<2,>=1.0"
   */
  toString(): string {
    const sorted = [...this.specifiers].sort((a, b) => compareCodePoints(a.toString(), b.toString()));
    const seen = new Set<string>();
    const kept: string[] = [];
    for (const specifier of sorted) {
      const identity = canonicalIdentity(specifier);
      if (seen.has(identity)) continue;
      seen.add(identity);
      kept.push(specifier.toString());
    }
    return kept.join(",");
  }
}

/**
 * Parses a comma-separated specifier set (`packaging.specifiers.SpecifierSet`): items are
 * trimmed, empty items are skipped, and `""` is the empty set that admits everything. Throws a
 * `KilnError` (`invalidSpecifier`) naming the first invalid item.
 *
 * @example
 * parseSpecifierSet(">=3.9, <4").specifiers.length; // 2
 */
export function parseSpecifierSet(text: string): SpecifierSet {
  const set = tryParseSpecifierSet(text);
  if (set !== undefined) return set;
  if (typeof text !== "string") throw new KilnError("invalidSpecifier", `Cannot parse version specifiers ${quote(text)}: not a string`);
  for (const item of text.split(",")) {
    if (item.trim() === "") continue;
    try {
      parseSpecifier(item);
    } catch (error) {
      const reason = error instanceof KilnError ? error.message.replace(/^Cannot parse version specifier /, "") : String(error);
      throw new KilnError("invalidSpecifier", `Cannot parse version specifiers ${quote(text)}: ${reason}`, {
        hint: error instanceof KilnError ? error.hint : undefined,
        cause: error,
      });
    }
  }
  throw new KilnError("internal", `Cannot parse version specifiers ${quote(text)}`);
}

/**
 * Like {@link parseSpecifierSet}, but returns undefined for invalid input.
 *
 * @example
 * tryParseSpecifierSet(">=1.0,,<2"); // a set of two specifiers
 */
export function tryParseSpecifierSet(text: string): SpecifierSet | undefined {
  if (typeof text !== "string") return undefined;
  const specifiers: Specifier[] = [];
  let start = 0;
  while (start <= text.length) {
    let comma = text.indexOf(",", start);
    if (comma === -1) comma = text.length;
    const itemStart = skipPythonWhitespace(text, start, comma);
    const itemEnd = trimEndIndex(text, itemStart, comma);
    if (itemStart < itemEnd) {
      const specifier = parseSpecifierRange(text, itemStart, itemEnd);
      if (specifier === undefined) return undefined;
      specifiers.push(specifier);
    }
    start = comma + 1;
  }
  return new SpecifierSet(specifiers);
}

/** What `packaging` compares specifiers by: operator and version with trailing zeros removed (kept for `~=`). */
function canonicalIdentity(specifier: Specifier): string {
  const version = specifier.parsedVersion;
  if (version === undefined || specifier.wildcard) return `${specifier.operator}${specifier.version}`;
  if (specifier.operator === "~=") return `~=${formatVersion(version)}`;
  return `${specifier.operator}${trimmedText(version)}`;
}

function trimmedText(version: Version): string {
  const digits = digitsOf(version);
  let length = digits.release.length;
  while (length > 1 && digits.release[length - 1] === "0") length--;
  return formatDigits({ ...digits, release: digits.release.slice(0, length) });
}

/** Python's string ordering: by code point, not UTF-16 code unit. */
function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const left = a.codePointAt(index)!;
    const right = b.codePointAt(index)!;
    if (left !== right) return left - right;
    if (left > 0xffff) index++;
  }
  return a.length - b.length;
}
