import { isDigits, versionKey, type VersionDigits } from "./version-key.js";

/** A pre-release kind, normalized (`alpha` is `a`, `c`/`pre`/`preview` are `rc`). */
export type PreReleaseLetter = "a" | "b" | "rc";

/**
 * A PEP 440 version as a value: normalized parts, compared with {@link compareVersions}.
 *
 * Numbers are exact up to `Number.MAX_SAFE_INTEGER`. Larger components (PEP 440 puts no limit
 * on them) are kept exactly by versions from `parseVersion`/`createVersion`: comparison and
 * formatting use the digits, only these `number` fields are rounded.
 *
 * @example
 * const version: Version = parseVersion("1!2.0rc1.post2.dev3+ubuntu.1");
 * // { epoch: 1, release: [2, 0], pre: ["rc", 1], post: 2, dev: 3, local: ["ubuntu", 1] }
 */
export interface Version {
  readonly epoch: number;
  readonly release: readonly number[];
  readonly pre?: readonly [PreReleaseLetter, number];
  readonly post?: number;
  readonly dev?: number;
  /** Local segments, lower-cased; all-digit segments are numbers. */
  readonly local?: readonly (string | number)[];
}

/**
 * The exact normalized text of versions with numbers beyond a double's exact range, which are
 * rare; kept aside so ordinary versions carry one field less.
 */
const exactTexts = new WeakMap<Version, string>();

/** Digit strings longer than this may not fit a double exactly. */
const safeDigits = 15;

/**
 * The `Version` objects kiln creates: the public parts plus a cached comparison key and, for
 * versions with numbers too large for a double, the exact normalized text.
 */
export class VersionValue implements Version {
  readonly epoch: number;
  readonly release: readonly number[];
  readonly pre: readonly [PreReleaseLetter, number] | undefined;
  readonly post: number | undefined;
  readonly dev: number | undefined;
  readonly local: readonly (string | number)[] | undefined;
  #key: string;

  // Positional parameters, not an options object: this runs once per parsed version, and the
  // extra object per call showed up as garbage-collection time when parsing 100 000 versions.
  private constructor(
    epoch: number,
    release: readonly number[],
    pre: readonly [PreReleaseLetter, number] | undefined,
    post: number | undefined,
    dev: number | undefined,
    local: readonly (string | number)[] | undefined,
    key: string,
    text: string | undefined,
  ) {
    this.epoch = epoch;
    this.release = release;
    this.pre = pre;
    this.post = post;
    this.dev = dev;
    this.local = local;
    this.#key = key;
    if (text !== undefined) exactTexts.set(this, text);
  }

  /** Wraps parts that are already normalized and exact, with their key (the parser's path). */
  static create(
    epoch: number,
    release: readonly number[],
    pre: readonly [PreReleaseLetter, number] | undefined,
    post: number | undefined,
    dev: number | undefined,
    local: readonly (string | number)[] | undefined,
    key: string,
  ): VersionValue {
    return new VersionValue(epoch, release, pre, post, dev, local, key, undefined);
  }

  /** Creates a version from digit strings (already validated and normalized). */
  static fromDigits(digits: VersionDigits): VersionValue {
    return new VersionValue(
      toNumber(digits.epoch),
      digits.release.map(toNumber),
      digits.pre === undefined ? undefined : [digits.pre[0], toNumber(digits.pre[1])],
      digits.post === undefined ? undefined : toNumber(digits.post),
      digits.dev === undefined ? undefined : toNumber(digits.dev),
      digits.local?.map((segment) => (isDigits(segment) ? toNumber(segment) : segment)),
      versionKey(digits),
      hasLongNumber(digits) ? formatDigits(digits) : undefined,
    );
  }

  /** The comparison key of any `Version`, cached for kiln's own objects. */
  static keyOf(version: Version): string {
    return #key in version ? version.#key : versionKey(digitsOfFields(version));
  }

  /** The exact normalized text when it cannot be rebuilt from the `number` fields. */
  static exactTextOf(version: Version): string | undefined {
    return exactTexts.get(version);
  }
}

/**
 * Creates a version from its parts, normalized like a parsed one: the pre-release letter must
 * already be `a`, `b` or `rc`; local string segments are lower-cased. Throws `RangeError` for
 * parts no version can have (negative or fractional numbers, an empty release).
 *
 * @example
 * formatVersion(createVersion({ epoch: 0, release: [1, 2], pre: ["rc", 1] })); // "1.2rc1"
 */
export function createVersion(parts: Version): Version {
  return VersionValue.fromDigits(digitsOf(parts));
}

/** The digit strings of any `Version` (exact for kiln's own objects). */
export function digitsOf(version: Version): VersionDigits {
  const exact = VersionValue.exactTextOf(version);
  return exact === undefined ? digitsOfFields(version) : digitsOfText(exact);
}

function toNumber(digits: string): number {
  return digits.length <= safeDigits ? +digits : Number(digits);
}

function hasLongNumber(digits: VersionDigits): boolean {
  if (digits.epoch.length > safeDigits) return true;
  for (const part of digits.release) if (part.length > safeDigits) return true;
  if (digits.pre !== undefined && digits.pre[1].length > safeDigits) return true;
  if (digits.post !== undefined && digits.post.length > safeDigits) return true;
  if (digits.dev !== undefined && digits.dev.length > safeDigits) return true;
  if (digits.local !== undefined) for (const part of digits.local) if (part.length > safeDigits && isDigits(part)) return true;
  return false;
}

/** The normalized text of a version given as digits (`packaging`'s `str(Version)`). */
export function formatDigits(digits: VersionDigits): string {
  let text = digits.epoch === "0" ? "" : `${digits.epoch}!`;
  text += digits.release.join(".");
  if (digits.pre !== undefined) text += digits.pre[0] + digits.pre[1];
  if (digits.post !== undefined) text += `.post${digits.post}`;
  if (digits.dev !== undefined) text += `.dev${digits.dev}`;
  if (digits.local !== undefined) text += `+${digits.local.join(".")}`;
  return text;
}

function digitsOfFields(version: Version): VersionDigits {
  const digits: VersionDigits = { epoch: numberDigits(version.epoch, "epoch"), release: version.release.map((n) => numberDigits(n, "release")) };
  if (digits.release.length === 0) throw new RangeError("A version's release needs at least one number");
  if (version.pre !== undefined) digits.pre = [preLetter(version.pre[0]), numberDigits(version.pre[1], "pre")];
  if (version.post !== undefined) digits.post = numberDigits(version.post, "post");
  if (version.dev !== undefined) digits.dev = numberDigits(version.dev, "dev");
  if (version.local !== undefined) digits.local = version.local.map(localSegment);
  return digits;
}

function numberDigits(value: number, field: string): string {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`A version's ${field} numbers must be non-negative integers, not ${value}`);
  }
  if (value <= Number.MAX_SAFE_INTEGER) return String(value);
  return BigInt(value).toString();
}

function preLetter(letter: string): PreReleaseLetter {
  if (letter === "a" || letter === "b" || letter === "rc") return letter;
  throw new RangeError(`A version's pre-release letter must be "a", "b" or "rc", not ${JSON.stringify(letter)}`);
}

function localSegment(segment: string | number): string {
  if (typeof segment === "number") return numberDigits(segment, "local");
  const lower = segment.toLowerCase();
  if (!/^[a-z0-9]+$/.test(lower)) {
    throw new RangeError(`A version's local segments must be ASCII letters and digits, not ${JSON.stringify(segment)}`);
  }
  return isDigits(lower) ? lower.replace(/^0+(?=.)/, "") : lower;
}

/** Re-reads the digits of a normalized version text (only used for versions with huge numbers). */
function digitsOfText(text: string): VersionDigits {
  const match = /^(?:(\d+)!)?(\d+(?:\.\d+)*)(?:(a|b|rc)(\d+))?(?:\.post(\d+))?(?:\.dev(\d+))?(?:\+(.*))?$/.exec(text)!;
  const digits: VersionDigits = { epoch: match[1] ?? "0", release: match[2]!.split(".") };
  if (match[3] !== undefined) digits.pre = [match[3] as PreReleaseLetter, match[4]!];
  if (match[5] !== undefined) digits.post = match[5];
  if (match[6] !== undefined) digits.dev = match[6];
  if (match[7] !== undefined) digits.local = match[7].split(".");
  return digits;
}
