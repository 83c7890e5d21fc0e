/**
 * The comparison key of a version: a string whose plain JavaScript ordering (`<`, `===`) is
 * PEP 440 ordering, exactly as `packaging` orders versions. Sorting compares keys only, and
 * version ranges are intervals of keys.
 *
 * Layout, field by field (each numeric field is self-delimiting, so fields never run into each
 * other): epoch, release (trailing zeros removed, so `1.0 == 1`), a release terminator, then
 * `packaging`'s six-part suffix (pre rank and number, post flag and number, dev flag and number),
 * then the local segments if any (absent sorts first).
 *
 * Numbers are written as digit strings (leading zeros removed) prefixed by a character that
 * encodes their length, so numbers of any size compare exactly: `packaging` uses Python's
 * arbitrary-precision ints and so does this key, while the public `number` fields of a version
 * are only exact up to `Number.MAX_SAFE_INTEGER`.
 */

/** The numeric and textual parts of a version, with every number as a digit string. */
export interface VersionDigits {
  epoch: string;
  release: string[];
  pre?: ["a" | "b" | "rc", string];
  post?: string;
  dev?: string;
  /** Lower-cased local segments; all-digit segments have no leading zeros. */
  local?: string[];
}

const releaseEnd = "\x10";
const localString = "\x01";
const localNumber = "\x02";
/** Length prefixes for short numbers, precomputed because almost every number is short. */
const lengthPrefix = Array.from({ length: 64 }, (_, length) => String.fromCharCode(0x20 + length));
const longLength = 0xefe0;

/**
 * A number's key: its length as one character, then its digits. `digits` has no leading zeros.
 *
 * @example
 * encodeNumber("10") < encodeNumber("9"); // false
 */
export function encodeNumber(digits: string): string {
  const length = digits.length;
  if (length < 64) return lengthPrefix[length]! + digits;
  if (length < longLength) return String.fromCharCode(0x20 + length) + digits;
  // Absurdly long numbers: a marker above every short prefix, then the length itself encoded.
  return "\uf000" + encodeNumber(String(length)) + digits;
}

const zero = encodeNumber("0");
const preRank = { a: "B", b: "C", rc: "D" } as const;
/** The suffix of a final release: no pre (rank 3), no post, no dev. */
const finalSuffix = `E${zero}A${zero}B${zero}`;

/** The key of the epoch and trimmed release, shared by a version and the cuts around it. */
export function releaseKey(epoch: string, release: readonly string[]): string {
  let last = release.length;
  while (last > 0 && release[last - 1] === "0") last--;
  let key = encodeNumber(epoch);
  for (let index = 0; index < last; index++) key += encodeNumber(release[index]!);
  return key + releaseEnd;
}

/**
 * The comparison key of a version given as digit strings.
 *
 * @example
 * versionKey({ epoch: "0", release: ["1", "0"] }) === versionKey({ epoch: "0", release: ["1"] }); // true
 */
export function versionKey(parts: VersionDigits): string {
  let key = releaseKey(parts.epoch, parts.release);
  const { pre, post, dev } = parts;
  if (pre === undefined && post === undefined && dev === undefined) key += finalSuffix;
  else {
    // packaging: a dev-only release sorts before every pre-release of the same release.
    if (pre !== undefined) key += preRank[pre[0]] + encodeNumber(pre[1]);
    else key += (post === undefined ? "A" : "E") + zero;
    key += post === undefined ? `A${zero}` : `B${encodeNumber(post)}`;
    key += dev === undefined ? `B${zero}` : `A${encodeNumber(dev)}`;
  }
  if (parts.local !== undefined) key += localKey(parts.local);
  return key;
}

function localKey(local: readonly string[]): string {
  let key = "";
  // Strings sort before numbers; a longer local sorts after its prefix.
  for (const segment of local) key += isDigits(segment) ? localNumber + encodeNumber(segment) : localString + segment;
  return key;
}

/** True when `text` is non-empty and all ASCII digits. */
export function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}

/** The key of the smallest possible version, `0.dev0`: every version's key is at or above it. */
export const minimumKey = versionKey({ epoch: "0", release: ["0"], dev: "0" });

/** A key above every version's key. */
export const maximumKey = "\uffff";

/**
 * The key of the cut just above `version` and every `version+local` (packaging's AFTER_LOCALS is
 * this cut for a version without a local segment). A version's key never contains `\0`.
 */
export function keyJustAfter(key: string): string {
  return key + "\x00";
}

/**
 * The key of the cut above every post-release of a final release (and their dev and local
 * versions) and below the next release, such as `1.0.0.1`. `>1.0` starts here.
 */
export function keyAfterPostReleases(epoch: string, release: readonly string[]): string {
  return `${releaseKey(epoch, release)}E${zero}B\uffff`;
}
