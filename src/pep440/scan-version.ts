import { VersionValue, type PreReleaseLetter } from "./version.js";
import { skipPythonWhitespace, trimEndIndex } from "./python-whitespace.js";
import { hugeNumber, numericVersionKey, tagKey, type VersionDigits } from "./version-key.js";

/**
 * What the last {@link scanVersion} read. One shared object, overwritten by every scan, because
 * parsing is the hot path of sorting and filtering and should allocate only what it returns.
 * Numbers are read as values; `spans` remember where each one's digits are, for numbers too
 * large for a double (`huge`), which take the exact digit-string path.
 */
const state = {
  start: 0,
  limit: 0,
  allowLocal: false,
  /** Record spans: only on the second scan of a version with huge numbers. */
  recording: false,
  end: 0,
  releaseEnd: 0,
  huge: false,
  epoch: 0,
  release: [] as number[],
  releaseLength: 0,
  pre: undefined as PreReleaseLetter | undefined,
  preNumber: 0,
  post: undefined as number | undefined,
  dev: undefined as number | undefined,
  local: undefined as (string | number)[] | undefined,
  /** [start, end) of each number or local segment, in reading order, for the huge path. */
  spans: [] as number[],
};

let numberValue = 0;

/**
 * Reads the longest PEP 440 version in `text[start, end)` starting at `start`, by hand instead of
 * with `packaging`'s regular expression but with the same greedy, possessive choices: `1.0a.` is
 * `1.0a0` (the separator after a pre-release letter is taken even without a number), `1.0-1` is
 * a post-release, and letters match case-insensitively but ASCII only. Returns the index after
 * the version, or -1 when there is no release number at `start`; then {@link buildVersion}
 * makes the version. Linear in the input, no backtracking beyond a few characters.
 *
 * @example
 * scanVersion("v1.0RC1 and more", 0, 16, true); // 7
 */
export function scanVersion(text: string, start: number, end: number, allowLocal: boolean): number {
  state.start = start;
  state.limit = end;
  state.allowLocal = allowLocal;
  state.huge = false;
  if (state.recording) state.spans.length = 0;
  state.pre = undefined;
  state.preNumber = 0;
  state.post = undefined;
  state.dev = undefined;
  state.local = undefined;
  let index = start;
  const first = text.charCodeAt(index);
  if ((first === 0x76 || first === 0x56) && index < end) index++; // v, V
  let runEnd = readNumber(text, index, end);
  if (runEnd === index) return -1;
  state.epoch = 0;
  if (runEnd < end && text.charCodeAt(runEnd) === 0x21) {
    state.epoch = numberValue;
    index = runEnd + 1;
    runEnd = readNumber(text, index, end);
    if (runEnd === index) return -1;
  } else if (state.recording) state.spans.unshift(-1, -1); // no epoch: keep the span layout fixed
  // A reused scratch array with its own count: shrinking an array's length frees its storage.
  const release = state.release;
  release[0] = numberValue;
  let releaseLength = 1;
  index = runEnd;
  while (index + 1 < end && text.charCodeAt(index) === 0x2e && isDigit(text.charCodeAt(index + 1))) {
    index = readNumber(text, index + 1, end);
    release[releaseLength++] = numberValue;
  }
  state.releaseLength = releaseLength;
  state.releaseEnd = index;
  index = scanPre(text, index, end);
  index = scanPost(text, index, end);
  index = scanDev(text, index, end);
  if (allowLocal && index < end && text.charCodeAt(index) === 0x2b) index = scanLocal(text, index + 1, end) ?? index;
  state.end = index;
  return index;
}

/** True when the last scan read anything after the release segment. */
export function scannedSuffix(): boolean {
  return state.end !== state.releaseEnd;
}

/** The number of release segments the last scan read. */
export function scannedReleaseLength(): number {
  return state.releaseLength;
}

/** Makes the version the last {@link scanVersion} of `text` read. */
export function buildVersion(text: string): VersionValue {
  if (state.huge) return VersionValue.fromDigits(scannedDigits(text));
  const { epoch, pre, preNumber, post, dev, local } = state;
  // The scanner's release array is reused; the version gets its own exact-size copy.
  const release = state.release.slice(0, state.releaseLength);
  const key = numericVersionKey(epoch, release, release.length, pre, preNumber, post, dev, local);
  return VersionValue.create(epoch, release, pre === undefined ? undefined : preTuple(pre, preNumber), post, dev, local, key);
}

/** Pre-release tuples are values; the common ones are shared instead of allocated per version. */
const sharedPre = { a: [] as (readonly ["a", number])[], b: [] as (readonly ["b", number])[], rc: [] as (readonly ["rc", number])[] };
for (let number = 0; number < 32; number++) {
  sharedPre.a.push(Object.freeze(["a", number] as const));
  sharedPre.b.push(Object.freeze(["b", number] as const));
  sharedPre.rc.push(Object.freeze(["rc", number] as const));
}

function preTuple(letter: PreReleaseLetter, number: number): readonly [PreReleaseLetter, number] {
  return number < 32 ? sharedPre[letter][number]! : [letter, number];
}

/**
 * The comparison key of the version in `text` (surrounding whitespace allowed), or undefined
 * when it is not a valid version, without creating a version object: what `contains` needs
 * when given a string. {@link scannedPrerelease} then tells whether it was a pre-release. With a
 * `tag`, the key is tagged as by `tagKey`.
 */
export function versionKeyOfText(text: string, tag = -1): string | undefined {
  const start = skipPythonWhitespace(text, 0);
  const end = trimEndIndex(text, start);
  if (scanVersion(text, start, end, true) !== end) return undefined;
  if (state.huge) {
    const key = VersionValue.keyOf(buildVersion(text));
    return tag >= 0 ? tagKey(key, tag) : key;
  }
  return numericVersionKey(state.epoch, state.release, state.releaseLength, state.pre, state.preNumber, state.post, state.dev, state.local, tag);
}

/** True when the last scanned version is a pre-release (has a pre or dev part). */
export function scannedPrerelease(): boolean {
  return state.pre !== undefined || state.dev !== undefined;
}

/**
 * The digit strings of the last scan, for versions with numbers too large for a double: scans
 * again, recording where each number's digits are.
 */
function scannedDigits(text: string): VersionDigits {
  state.recording = true;
  try {
    scanVersion(text, state.start, state.limit, state.allowLocal);
  } finally {
    state.recording = false;
  }
  const spans = state.spans;
  let next = 0;
  const digits = (): string => {
    const start = spans[next++]!;
    const end = spans[next++]!;
    return start === -1 ? "0" : text.slice(start, end);
  };
  const result: VersionDigits = { epoch: digits(), release: state.release.slice(0, state.releaseLength).map(() => digits()) };
  if (state.pre !== undefined) result.pre = [state.pre, digits()];
  if (state.post !== undefined) result.post = digits();
  if (state.dev !== undefined) result.dev = digits();
  if (state.local !== undefined) {
    result.local = state.local.map((segment) => {
      const text = digits();
      return typeof segment === "number" ? text : segment;
    });
  }
  return result;
}

/** Reads digits at `start`; sets `numberValue`, records the span without leading zeros. */
function readNumber(text: string, start: number, end: number): number {
  let index = start;
  while (index < end - 1 && text.charCodeAt(index) === 0x30 && isDigit(text.charCodeAt(index + 1))) index++;
  const significant = index;
  let value = 0;
  while (index < end) {
    const code = text.charCodeAt(index);
    if (code < 0x30 || code > 0x39) break;
    value = value * 10 + (code - 0x30);
    index++;
  }
  if (index === start) return start;
  if (index - significant > 15 || value >= hugeNumber) state.huge = true;
  numberValue = value;
  if (state.recording) state.spans.push(significant, index);
  return index;
}

/** Reads an optional number; absent is 0 (recorded as an empty span). */
function readOptionalNumber(text: string, start: number, end: number): number {
  const numberEnd = readNumber(text, start, end);
  if (numberEnd === start) {
    numberValue = 0;
    if (state.recording) state.spans.push(-1, -1);
  }
  return numberEnd;
}

function scanPre(text: string, start: number, end: number): number {
  let index = start;
  if (index < end && isSeparator(text.charCodeAt(index))) index++;
  const length = preWordLength(text, index, end);
  if (length === 0) return start;
  index += length;
  if (index < end && isSeparator(text.charCodeAt(index))) index++;
  index = readOptionalNumber(text, index, end);
  state.preNumber = numberValue;
  return index;
}

/** Matches packaging's `alpha|a|beta|b|preview|pre|c|rc` in that order; sets `state.pre`. */
function preWordLength(text: string, index: number, end: number): number {
  if (index >= end) return 0;
  switch (text.charCodeAt(index) | 0x20) {
    case 0x61: // a
      state.pre = "a";
      return matchWord(text, index, end, "alpha") ? 5 : 1;
    case 0x62: // b
      state.pre = "b";
      return matchWord(text, index, end, "beta") ? 4 : 1;
    case 0x63: // c
      state.pre = "rc";
      return 1;
    case 0x70: // p
      if (!matchWord(text, index, end, "pre")) return 0;
      state.pre = "rc";
      return matchWord(text, index, end, "preview") ? 7 : 3;
    case 0x72: // r
      if (!matchWord(text, index, end, "rc")) return 0;
      state.pre = "rc";
      return 2;
    default:
      return 0;
  }
}

function scanPost(text: string, start: number, end: number): number {
  // The implicit form `1.0-1` comes first in packaging's alternation.
  if (start + 1 < end && text.charCodeAt(start) === 0x2d && isDigit(text.charCodeAt(start + 1))) {
    const numberEnd = readNumber(text, start + 1, end);
    state.post = numberValue;
    return numberEnd;
  }
  let index = start;
  if (index < end && isSeparator(text.charCodeAt(index))) index++;
  const length = matchWord(text, index, end, "post") ? 4 : matchWord(text, index, end, "rev") ? 3 : matchWord(text, index, end, "r") ? 1 : 0;
  if (length === 0) return start;
  index += length;
  if (index < end && isSeparator(text.charCodeAt(index))) index++;
  index = readOptionalNumber(text, index, end);
  state.post = numberValue;
  return index;
}

function scanDev(text: string, start: number, end: number): number {
  let index = start;
  if (index < end && isSeparator(text.charCodeAt(index))) index++;
  if (!matchWord(text, index, end, "dev")) return start;
  index += 3;
  if (index < end && isSeparator(text.charCodeAt(index))) index++;
  index = readOptionalNumber(text, index, end);
  state.dev = numberValue;
  return index;
}

/** Reads `[a-z0-9]+([._-][a-z0-9]+)*` after the `+`; undefined when the first segment is empty. */
function scanLocal(text: string, start: number, end: number): number | undefined {
  const local: (string | number)[] = [];
  let index = start;
  for (;;) {
    let segmentEnd = index;
    let numeric = true;
    while (segmentEnd < end) {
      const code = text.charCodeAt(segmentEnd);
      if (isDigit(code)) segmentEnd++;
      else if (isLetter(code)) {
        numeric = false;
        segmentEnd++;
      } else break;
    }
    if (segmentEnd === index) break;
    if (numeric) {
      readNumber(text, index, segmentEnd);
      local.push(numberValue);
    } else {
      local.push(text.slice(index, segmentEnd).toLowerCase());
      if (state.recording) state.spans.push(index, segmentEnd);
    }
    index = segmentEnd;
    if (!(index + 1 < end && isSeparator(text.charCodeAt(index)) && isAlphanumeric(text.charCodeAt(index + 1)))) break;
    index++;
  }
  if (local.length === 0) return undefined;
  state.local = local;
  return index;
}

/** Case-insensitive ASCII match of a lower-case `word` at `index`. */
function matchWord(text: string, index: number, end: number, word: string): boolean {
  if (index + word.length > end) return false;
  for (let offset = 0; offset < word.length; offset++) {
    // `| 0x20` folds only A–Z onto a–z among the characters that can equal a letter here.
    if ((text.charCodeAt(index + offset) | 0x20) !== word.charCodeAt(offset)) return false;
  }
  return true;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isLetter(code: number): boolean {
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x7a;
}

function isSeparator(code: number): boolean {
  return code === 0x2e || code === 0x5f || code === 0x2d; // . _ -
}

function isAlphanumeric(code: number): boolean {
  return isDigit(code) || isLetter(code);
}
