import { KilnError } from "../core/index.js";
import { formatVersion } from "./format-version.js";
import { quote, tryParseVersion } from "./parse-version.js";
import { isPythonWhitespace, skipPythonWhitespace, trimEndIndex } from "./python-whitespace.js";
import { specifierBounds } from "./specifier-bounds.js";
import { specifierIntervals, type Interval } from "./specifier-intervals.js";
import { buildVersion, scannedReleaseLength, scannedSuffix, scanVersion } from "./scan-version.js";
import { VersionValue, type Version } from "./version.js";
import { isPrerelease } from "./version-kinds.js";

/** A PEP 440 comparison operator. */
export type SpecifierOperator = "~=" | "==" | "!=" | "<=" | ">=" | "<" | ">" | "===";

/** Options of `contains` and `filterVersions`. */
export interface PrereleaseOptions {
  /**
   * `true` admits pre-releases, `false` rejects them even when a specifier names one, and
   * `undefined` follows PEP 440 (see {@link SpecifierSet.contains} and `filterVersions`).
   */
  prereleases?: boolean | undefined;
}

/**
 * One version specifier such as `>=1.0`, `==1.2.*` or `===foobar`. Build it with
 * {@link parseSpecifier}.
 *
 * @example
 * const specifier = parseSpecifier("~= 1.4.5");
 * specifier.operator; // "~="
 * specifier.version; // "1.4.5"
 */
export class Specifier {
  /** The operator. */
  readonly operator: SpecifierOperator;
  /** The version text as written, without surrounding whitespace, with `.*` for wildcards. */
  readonly version: string;
  /** The parsed version (without `.*`); undefined for `===`. */
  readonly parsedVersion: Version | undefined;
  /** True for `==V.*` and `!=V.*`. */
  readonly wildcard: boolean;
  #intervals: readonly Interval[] | undefined;
  #bounds: readonly string[] | undefined;

  /** @internal Use {@link parseSpecifier}. */
  constructor(operator: SpecifierOperator, version: string, parsedVersion: Version | undefined, wildcard: boolean) {
    this.operator = operator;
    this.version = version;
    this.parsedVersion = parsedVersion;
    this.wildcard = wildcard;
  }

  /**
   * The versions this specifier admits as half-open key intervals (ignoring pre-release policy);
   * `===` has none, it compares strings.
   */
  get intervals(): readonly Interval[] {
    return (this.#intervals ??= specifierIntervals(this));
  }

  /**
   * Whether the specifier names a pre-release, which makes a set admit pre-releases when
   * filtering (`packaging`'s `Specifier.prereleases`): true for any operator but `!=` and `==V.*`
   * whose version is a pre-release; undefined for `===` with a text that is not a version.
   */
  get namesPrerelease(): boolean | undefined {
    if (this.operator === "!=" || this.wildcard) return false;
    if (this.parsedVersion !== undefined) return isPrerelease(this.parsedVersion);
    const parsed = tryParseVersion(this.version);
    return parsed === undefined ? undefined : isPrerelease(parsed);
  }

  /**
   * True when `version` satisfies this specifier, with the same pre-release rule as a set of one
   * specifier ({@link SpecifierSet.contains}).
   *
   * @example
   * parseSpecifier("<2.0").contains("2.0a1"); // false: <V excludes V's pre-releases
   */
  contains(version: Version | string, options: PrereleaseOptions = {}): boolean {
    if (this.operator === "===") {
      if (!this.matchesText(textOf(version))) return false;
      const parsed = typeof version === "string" ? tryParseVersion(version) : version;
      return !(options.prereleases === false && parsed !== undefined && isPrerelease(parsed));
    }
    const parsed = typeof version === "string" ? tryParseVersion(version) : version;
    if (parsed === undefined) return false;
    if (options.prereleases === false && isPrerelease(parsed)) return false;
    return this.admitsKey(VersionValue.keyOf(parsed));
  }

  /** @internal The interval test for a version's sort key (not for `===`). */
  admitsKey(key: string): boolean {
    const bounds = (this.#bounds ??= specifierBounds(this) ?? this.intervals.flatMap((interval) => [interval.lower.key, interval.upper.key]));
    for (let index = 0; index < bounds.length; index += 2) {
      if (key < bounds[index]!) return false;
      if (key < bounds[index + 1]!) return true;
    }
    return false;
  }

  /** @internal `===`: case-insensitive string identity with the text (not the version) given. */
  matchesText(text: string): boolean {
    return text.toLowerCase() === this.version.toLowerCase();
  }

  /** The specifier as `packaging` prints it: operator and version text, no space. */
  toString(): string {
    return this.operator + this.version;
  }
}

/**
 * Parses one version specifier exactly as `packaging.specifiers.Specifier` accepts it: `~=`
 * needs two release numbers; `==`/`!=` allow a `.*` suffix right after the release and local
 * versions; `<`, `<=`, `>`, `>=`, `~=` allow neither; `===` takes any text without whitespace,
 * `;` or `)`. Throws a `KilnError` (`invalidSpecifier`) otherwise.
 *
 * @example
 * parseSpecifier("== 1.0.*").toString(); // "==1.0.*"
 */
export function parseSpecifier(text: string): Specifier {
  const specifier = tryParseSpecifier(text);
  if (specifier !== undefined) return specifier;
  throw new KilnError("invalidSpecifier", `Cannot parse version specifier ${quote(text)}: ${specifierProblem(text)}`, {
    hint: "Specifiers look like >=1.0, ~=2.2, ==1.4.*, !=1.5, <2 or ===1.0-custom (https://peps.python.org/pep-0440/#version-specifiers)",
  });
}

/**
 * Like {@link parseSpecifier}, but returns undefined for invalid input.
 *
 * @example
 * tryParseSpecifier(">=1.0.*"); // undefined
 */
export function tryParseSpecifier(text: string): Specifier | undefined {
  if (typeof text !== "string") return undefined;
  const start = skipPythonWhitespace(text, 0);
  const end = trimEndIndex(text, start);
  return parseSpecifierRange(text, start, end);
}

/** @internal Parses `text[start, end)`, which has no surrounding whitespace. */
export function parseSpecifierRange(text: string, start: number, end: number): Specifier | undefined {
  const operator = operatorAt(text, start, end);
  if (operator === undefined) return undefined;
  const versionStart = skipPythonWhitespace(text, start + operator.length, end);
  const versionText = text.slice(versionStart, end);
  if (operator === "===") return isArbitraryText(versionText) ? new Specifier(operator, versionText, undefined, false) : undefined;
  const equality = operator === "==" || operator === "!=";
  const scanEnd = scanVersion(text, versionStart, end, equality);
  if (scanEnd === -1) return undefined;
  let wildcard = false;
  if (scanEnd !== end) {
    wildcard = equality && !scannedSuffix() && scanEnd + 2 === end && text.endsWith(".*", end);
    if (!wildcard) return undefined;
  }
  if (operator === "~=" && scannedReleaseLength() < 2) return undefined;
  return new Specifier(operator, versionText, buildVersion(text), wildcard);
}

function operatorAt(text: string, start: number, end: number): SpecifierOperator | undefined {
  const first = text.charCodeAt(start);
  const second = start + 1 < end ? text.charCodeAt(start + 1) : 0;
  if (second === 0x3d) {
    // `===` is tried first, as in packaging's alternation.
    if (first === 0x3d && start + 2 < end && text.charCodeAt(start + 2) === 0x3d) return "===";
    if (first === 0x7e) return "~=";
    if (first === 0x3d) return "==";
    if (first === 0x21) return "!=";
    if (first === 0x3c) return "<=";
    if (first === 0x3e) return ">=";
  }
  if (start < end && first === 0x3c) return "<";
  if (start < end && first === 0x3e) return ">";
  return undefined;
}

/** `===` accepts any text without whitespace, `;` or `)` (packaging's `[^\s;)]*`), even empty. */
function isArbitraryText(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x3b || code === 0x29 || isPythonWhitespace(code)) return false;
  }
  return true;
}

function specifierProblem(text: string): string {
  if (typeof text !== "string") return "not a string";
  const start = skipPythonWhitespace(text, 0);
  const end = trimEndIndex(text, start);
  if (start === end) return "empty specifier";
  const operator = operatorAt(text, start, end);
  if (operator === undefined) return "missing comparison operator (~=, ==, !=, <=, >=, <, >, ===)";
  const version = text.slice(skipPythonWhitespace(text, start + operator.length, end), end);
  if (version.endsWith(".*") && operator !== "==" && operator !== "!=") return `a .* wildcard is only allowed with == and !=`;
  if (version.includes("+") && operator !== "==" && operator !== "!=") return `a local version (+...) is only allowed with == and !=`;
  if (operator === "~=" && /^v?(\d+!)?\d+(?!\.\d)/i.test(version)) return "~= needs at least two release numbers, such as ~=1.0";
  return `${quote(version)} is not a valid version for ${operator}`;
}

function textOf(version: Version | string): string {
  return typeof version === "string" ? version : formatVersion(version);
}
