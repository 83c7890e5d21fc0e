/**
 * The comparison key of a version: a string whose plain JavaScript ordering (`<`, `===`) is
 * PEP 440 ordering, exactly as `packaging` orders versions. Sorting compares keys only, and
 * version ranges are intervals of keys.
 *
 * Layout, field by field (each field is self-delimiting, so fields never run into each other):
 * epoch, release (trailing zeros removed, so `1.0 == 1`), a release terminator, then
 * `packaging`'s six-part suffix (pre rank and number, post flag and number, dev flag and number),
 * then the local segments if any (absent sorts first).
 *
 * Numbers: below 176 one character; below 2^48 a character giving the byte count, then the
 * bytes; beyond that (PEP 440 sets no limit, `packaging` uses Python's unbounded ints) a marker,
 * the digit count and the digits. So numbers of any size compare exactly, while version objects'
 * public `number` fields are only exact up to `Number.MAX_SAFE_INTEGER`. Every character is
 * below U+0100, so keys are compact one-byte strings, built flat in one step.
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

const releaseEnd = 0x20;
const localString = 0x01;
const localNumber = 0x02;
const smallBase = 0x40;
const smallLimit = 0xb0;
const mediumBase = 0xf0;
const hugeMarker = 0xff;
/** Numbers at or above this use the digit form (they may not be exact doubles). */
export const hugeNumber = 2 ** 48;

/**
 * Character codes of the key being built, and how many: reused (and only ever grown) so that
 * building a key allocates nothing but the key.
 */
const codes: number[] = new Array<number>(64).fill(0);
let count = 0;

function put(code: number): void {
  codes[count++] = code;
}

/** Appends the key of a number below {@link hugeNumber}. */
function pushNumber(value: number): void {
  if (value < smallLimit) {
    put(smallBase + value);
    return;
  }
  let bytes = 1;
  while (bytes < 6 && value >= powers[bytes]!) bytes++;
  put(mediumBase + bytes);
  for (let byte = bytes - 1; byte >= 0; byte--) put(Math.floor(value / powers[byte]!) % 256);
}

const powers = [1, 2 ** 8, 2 ** 16, 2 ** 24, 2 ** 32, 2 ** 40];

/** Appends the key of a number given as digits without leading zeros (any size). */
function pushDigits(digits: string): void {
  if (digits.length <= 15) {
    const value = +digits;
    if (value < hugeNumber) {
      pushNumber(value);
      return;
    }
  }
  put(hugeMarker);
  pushNumber(digits.length);
  for (let index = 0; index < digits.length; index++) put(digits.charCodeAt(index));
}

/**
 * Appends `packaging`'s six-part suffix `(pre rank, pre number, post flag, post number, dev
 * flag, dev number)` in a shorter form that orders the same way: the pre rank (dev-only 'A' <
 * a 'B' < b 'C' < rc 'D' < none 'E'), the pre number only for a/b/rc, 'P' and the number only
 * for a post-release (absent sorts first because the dev part's 'A'/'B' sort below 'P'), then
 * 'A' and the number for a dev release or 'B' for none (a dev release sorts first). A final
 * release's suffix is just "EB". Numbers are values below {@link hugeNumber} or digit strings.
 */
function pushSuffix(preRank: number, pre: number | string, post: number | string | undefined, dev: number | string | undefined): void {
  if (preRank === -1) preRank = post === undefined && dev !== undefined ? rankDevOnly : rankFinal;
  put(preRank);
  if (preRank !== rankDevOnly && preRank !== rankFinal) pushEither(pre);
  if (post !== undefined) {
    put(postMarker);
    pushEither(post);
  }
  if (dev === undefined) put(noDev);
  else {
    put(hasDev);
    pushEither(dev);
  }
}

function pushEither(value: number | string): void {
  if (typeof value === "number") pushNumber(value);
  else pushDigits(value);
}

const rankDevOnly = 0x41;
const rankFinal = 0x45;
const postMarker = 0x50;
const hasDev = 0x41;
const noDev = 0x42;

/** The pre-release rank character of a letter; -1 lets {@link pushSuffix} decide. */
function preRankOf(letter: "a" | "b" | "rc" | undefined): number {
  return letter === undefined ? -1 : letter === "a" ? 0x42 : letter === "b" ? 0x43 : 0x44;
}

/** Turns the codes appended so far into the key and resets the builder. */
function finishKey(): string {
  const key = fromCodes(codes, count);
  count = 0;
  return key;
}

/**
 * `String.fromCharCode` over `c[0, n)` with the codes as explicit arguments: `apply` with an
 * array copies the array first, and parsing builds one key per version, so that copy was a
 * large share of the garbage a parse made. Long keys (many release numbers, long locals) are
 * built in pieces.
 */
function fromCodes(c: readonly number[], n: number): string {
  switch (n) {
    case 0:
      return "";
    case 1:
      return String.fromCharCode(c[0]!);
    case 2:
      return String.fromCharCode(c[0]!, c[1]!);
    case 3:
      return String.fromCharCode(c[0]!, c[1]!, c[2]!);
    case 4:
      return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!);
    case 5:
      return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!);
    case 6:
      return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!);
    case 7:
      return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!);
    case 8:
      return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!);
    case 9:
      return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!);
    case 10:
      return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!);
    case 11:
      return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!);
    case 12:
      return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!);
    case 13:
      return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!, c[12]!);
    case 14:
      return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!, c[12]!, c[13]!);
    case 15:
      return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!, c[12]!, c[13]!, c[14]!);
    case 16:
      return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!, c[12]!, c[13]!, c[14]!, c[15]!);
    case 17:
      return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!, c[12]!, c[13]!, c[14]!, c[15]!, c[16]!);
    case 18:
      return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!, c[12]!, c[13]!, c[14]!, c[15]!, c[16]!, c[17]!);
    case 19:
      return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!, c[12]!, c[13]!, c[14]!, c[15]!, c[16]!, c[17]!, c[18]!);
    case 20:
      return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!, c[12]!, c[13]!, c[14]!, c[15]!, c[16]!, c[17]!, c[18]!, c[19]!);
    case 21:
      return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!, c[12]!, c[13]!, c[14]!, c[15]!, c[16]!, c[17]!, c[18]!, c[19]!, c[20]!);
    case 22:
      return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!, c[12]!, c[13]!, c[14]!, c[15]!, c[16]!, c[17]!, c[18]!, c[19]!, c[20]!, c[21]!);
    case 23:
      return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!, c[12]!, c[13]!, c[14]!, c[15]!, c[16]!, c[17]!, c[18]!, c[19]!, c[20]!, c[21]!, c[22]!);
    case 24:
      return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!, c[12]!, c[13]!, c[14]!, c[15]!, c[16]!, c[17]!, c[18]!, c[19]!, c[20]!, c[21]!, c[22]!, c[23]!);
    default: {
      let key = "";
      for (let start = 0; start < n; start += 8192) key += String.fromCharCode.apply(null, c.slice(start, Math.min(n, start + 8192)));
      return key;
    }
  }
}

/** Appends epoch, trimmed release and terminator from digit strings. */
function pushReleaseDigits(epoch: string, release: readonly string[]): void {
  let last = release.length;
  while (last > 0 && release[last - 1] === "0") last--;
  pushDigits(epoch);
  for (let index = 0; index < last; index++) pushDigits(release[index]!);
  put(releaseEnd);
}

/**
 * The comparison key of a version given as digit strings.
 *
 * @example
 * versionKey({ epoch: "0", release: ["1", "0"] }) === versionKey({ epoch: "0", release: ["1"] }); // true
 */
export function versionKey(parts: VersionDigits): string {
  pushReleaseDigits(parts.epoch, parts.release);
  pushSuffix(preRankOf(parts.pre?.[0]), parts.pre?.[1] ?? 0, parts.post, parts.dev);
  if (parts.local !== undefined) {
    for (const segment of parts.local) {
      const numeric = isDigits(segment);
      put(numeric ? localNumber : localString);
      if (numeric) pushDigits(segment);
      else for (let index = 0; index < segment.length; index++) put(segment.charCodeAt(index));
    }
  }
  return finishKey();
}

/**
 * The comparison key of a version whose numbers are all below {@link hugeNumber} (the parser's
 * fast path; `local` holds lower-cased strings and numbers).
 *
 * @example
 * numericVersionKey(0, [1, 0], 2, "rc", 1, undefined, undefined, undefined); // the key of 1.0rc1
 */
export function numericVersionKey(
  epoch: number,
  release: readonly number[],
  releaseLength: number,
  pre: "a" | "b" | "rc" | undefined,
  preNumber: number,
  post: number | undefined,
  dev: number | undefined,
  local: readonly (string | number)[] | undefined,
  tag = -1,
): string {
  pushNumber(epoch);
  let last = releaseLength;
  while (last > 0 && release[last - 1] === 0) last--;
  for (let index = 0; index < last; index++) pushNumber(release[index]!);
  put(releaseEnd);
  pushSuffix(preRankOf(pre), preNumber, post, dev);
  if (local !== undefined) {
    for (const segment of local) {
      if (typeof segment === "number") {
        put(localNumber);
        pushNumber(segment);
      } else {
        put(localString);
        for (let index = 0; index < segment.length; index++) put(segment.charCodeAt(index));
      }
    }
  }
  if (tag >= 0) pushTag(tag);
  return finishKey();
}

/** Largest tag {@link tagKey} can add. */
export const maximumTag = 2 ** 24 - 1;

/**
 * A key with a tag (such as a position in a list) appended so that tagged keys still sort by
 * version first, then by tag: the tag follows a `\0`, which is below every character a key can
 * continue with. Sorting tagged keys with the native string sort is a stable version sort.
 */
export function tagKey(key: string, tag: number): string {
  pushTag(tag);
  return key + finishKey();
}

function pushTag(tag: number): void {
  put(0);
  put((tag >>> 16) & 0xff);
  put((tag >>> 8) & 0xff);
  put(tag & 0xff);
}

/** The tag {@link tagKey} appended to a key. */
export function tagOf(key: string): number {
  const length = key.length;
  return (key.charCodeAt(length - 3) << 16) | (key.charCodeAt(length - 2) << 8) | key.charCodeAt(length - 1);
}

/** The key of the cut above every post-release of a final release, from numbers (see {@link keyAfterPostReleases}). */
export function numericKeyAfterPostReleases(epoch: number, release: readonly number[]): string {
  pushNumber(epoch);
  let last = release.length;
  while (last > 0 && release[last - 1] === 0) last--;
  for (let index = 0; index < last; index++) pushNumber(release[index]!);
  put(releaseEnd);
  put(rankFinal);
  put(postMarker);
  return `${finishKey()}\uffff`;
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
 * The key of the cut just above a version and below everything greater, including its local
 * versions when it has none (a version's key never contains `\0`).
 */
export function keyJustAfter(key: string): string {
  return key + "\x00";
}

/**
 * The key of the cut above every post-release of a final release (and their dev and local
 * versions) and below the next release, such as `1.0.0.1`. `>1.0` starts here: after the
 * post-release marker comes a character above every number's first character.
 */
export function keyAfterPostReleases(epoch: string, release: readonly string[]): string {
  pushReleaseDigits(epoch, release);
  put(rankFinal);
  put(postMarker);
  return `${finishKey()}\uffff`;
}
