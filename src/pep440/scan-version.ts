import type { PreReleaseLetter } from "./version.js";
import type { VersionDigits } from "./version-key.js";

/** How far {@link scanVersion} got, and what it read. */
export interface VersionScan {
  digits: VersionDigits;
  /** Index just after the last character that belongs to the version. */
  end: number;
  /** Index just after the release segment (where a `.*` wildcard would start). */
  releaseEnd: number;
  /** True when anything follows the release (pre, post, dev or local). */
  hasSuffix: boolean;
}

/**
 * Reads the longest PEP 440 version starting at `start`, by hand instead of with `packaging`'s
 * regular expression, with the same greedy, possessive choices that regex makes: `1.0a.` is
 * `1.0a0` (the separator after a pre-release letter is taken even without a number), `1.0-1`
 * is a post-release, and letters are matched case-insensitively but ASCII only. Returns
 * undefined when there is no release number at `start`; the caller checks `end`.
 *
 * Linear in the input: no backtracking beyond a few characters, so adversarial input is cheap.
 *
 * @example
 * scanVersion("v1.0RC1 and more", 0, 16, true)?.end; // 7
 */
export function scanVersion(text: string, start: number, end: number, allowLocal: boolean): VersionScan | undefined {
  let index = start;
  const first = text.charCodeAt(index);
  if ((first === 0x76 || first === 0x56) && index < end) index++; // v, V
  let runEnd = digitsEnd(text, index, end);
  if (runEnd === index) return undefined;
  let epoch = "0";
  if (text.charCodeAt(runEnd) === 0x21 && runEnd < end) {
    epoch = stripZeros(text, index, runEnd);
    index = runEnd + 1;
    runEnd = digitsEnd(text, index, end);
    if (runEnd === index) return undefined;
  }
  const release = [stripZeros(text, index, runEnd)];
  index = runEnd;
  while (index + 1 < end && text.charCodeAt(index) === 0x2e && isDigit(text.charCodeAt(index + 1))) {
    runEnd = digitsEnd(text, index + 1, end);
    release.push(stripZeros(text, index + 1, runEnd));
    index = runEnd;
  }
  const digits: VersionDigits = { epoch, release };
  const releaseEnd = index;
  index = scanPre(text, index, end, digits);
  index = scanPost(text, index, end, digits);
  index = scanDev(text, index, end, digits);
  if (allowLocal && text.charCodeAt(index) === 0x2b && index < end) index = scanLocal(text, index + 1, end, digits) ?? index;
  return { digits, end: index, releaseEnd, hasSuffix: index !== releaseEnd };
}

function scanPre(text: string, start: number, end: number, digits: VersionDigits): number {
  let index = start;
  if (isSeparator(text.charCodeAt(index)) && index < end) index++;
  const word = preWord(text, index, end);
  if (word === undefined) return start;
  index += word.length;
  if (isSeparator(text.charCodeAt(index)) && index < end) index++;
  const numberEnd = digitsEnd(text, index, end);
  digits.pre = [word.letter, numberEnd === index ? "0" : stripZeros(text, index, numberEnd)];
  return numberEnd;
}

/** The spelling order of packaging's `alpha|a|beta|b|preview|pre|c|rc`. */
function preWord(text: string, index: number, end: number): { letter: PreReleaseLetter; length: number } | undefined {
  if (index >= end) return undefined;
  switch (text.charCodeAt(index) | 0x20) {
    case 0x61: // a
      return { letter: "a", length: matchWord(text, index, end, "alpha") ? 5 : 1 };
    case 0x62: // b
      return { letter: "b", length: matchWord(text, index, end, "beta") ? 4 : 1 };
    case 0x63: // c
      return { letter: "rc", length: 1 };
    case 0x70: // p
      if (matchWord(text, index, end, "preview")) return { letter: "rc", length: 7 };
      return matchWord(text, index, end, "pre") ? { letter: "rc", length: 3 } : undefined;
    case 0x72: // r
      return matchWord(text, index, end, "rc") ? { letter: "rc", length: 2 } : undefined;
    default:
      return undefined;
  }
}

function scanPost(text: string, start: number, end: number, digits: VersionDigits): number {
  // The implicit form `1.0-1` comes first in packaging's alternation.
  if (text.charCodeAt(start) === 0x2d && start + 1 < end && isDigit(text.charCodeAt(start + 1))) {
    const numberEnd = digitsEnd(text, start + 1, end);
    digits.post = stripZeros(text, start + 1, numberEnd);
    return numberEnd;
  }
  let index = start;
  if (isSeparator(text.charCodeAt(index)) && index < end) index++;
  const length = postWordLength(text, index, end);
  if (length === 0) return start;
  index += length;
  if (isSeparator(text.charCodeAt(index)) && index < end) index++;
  const numberEnd = digitsEnd(text, index, end);
  digits.post = numberEnd === index ? "0" : stripZeros(text, index, numberEnd);
  return numberEnd;
}

/** The spelling order of packaging's `post|rev|r`. */
function postWordLength(text: string, index: number, end: number): number {
  if (matchWord(text, index, end, "post")) return 4;
  if (matchWord(text, index, end, "rev")) return 3;
  return matchWord(text, index, end, "r") ? 1 : 0;
}

function scanDev(text: string, start: number, end: number, digits: VersionDigits): number {
  let index = start;
  if (isSeparator(text.charCodeAt(index)) && index < end) index++;
  if (!matchWord(text, index, end, "dev")) return start;
  index += 3;
  if (isSeparator(text.charCodeAt(index)) && index < end) index++;
  const numberEnd = digitsEnd(text, index, end);
  digits.dev = numberEnd === index ? "0" : stripZeros(text, index, numberEnd);
  return numberEnd;
}

/** Reads `[a-z0-9]+([._-][a-z0-9]+)*` after the `+`; undefined when the first segment is empty. */
function scanLocal(text: string, start: number, end: number, digits: VersionDigits): number | undefined {
  const local: string[] = [];
  let index = start;
  for (;;) {
    let segmentEnd = index;
    while (segmentEnd < end && isAlphanumeric(text.charCodeAt(segmentEnd))) segmentEnd++;
    if (segmentEnd === index) break;
    local.push(localSegment(text, index, segmentEnd));
    index = segmentEnd;
    if (!(index + 1 < end && isSeparator(text.charCodeAt(index)) && isAlphanumeric(text.charCodeAt(index + 1)))) break;
    index++;
  }
  if (local.length === 0) return undefined;
  digits.local = local;
  return index;
}

function localSegment(text: string, start: number, end: number): string {
  for (let index = start; index < end; index++) {
    if (!isDigit(text.charCodeAt(index))) return text.slice(start, end).toLowerCase();
  }
  return stripZeros(text, start, end);
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

function digitsEnd(text: string, start: number, end: number): number {
  let index = start;
  while (index < end && isDigit(text.charCodeAt(index))) index++;
  return index;
}

/** The digits in `[start, end)` without leading zeros (`"0"` for all zeros). */
function stripZeros(text: string, start: number, end: number): string {
  let index = start;
  while (index < end - 1 && text.charCodeAt(index) === 0x30) index++;
  return text.slice(index, end);
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isSeparator(code: number): boolean {
  return code === 0x2e || code === 0x5f || code === 0x2d; // . _ -
}

function isAlphanumeric(code: number): boolean {
  return isDigit(code) || ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a);
}
