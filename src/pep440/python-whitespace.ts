/**
 * True for the characters Python's `str.strip()` and regex `\s` treat as whitespace. Version and
 * specifier strings may be surrounded by any of them (`packaging` strips them), and the set is
 * not JavaScript's `\s`: it has U+001C–U+001F and U+0085 but not U+FEFF.
 *
 * @example
 * isPythonWhitespace(0x85); // true
 */
export function isPythonWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f);
  if (code < 0x85) return false;
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/**
 * The index of the first non-whitespace character at or after `start` (Python's whitespace).
 *
 * @example
 * skipPythonWhitespace("  1.0", 0); // 2
 */
export function skipPythonWhitespace(text: string, start: number, end = text.length): number {
  let index = start;
  while (index < end && isPythonWhitespace(text.charCodeAt(index))) index++;
  return index;
}

/**
 * The end index of `text` without trailing whitespace, not going below `start`.
 *
 * @example
 * trimEndIndex("1.0 \n", 0); // 3
 */
export function trimEndIndex(text: string, start: number, end = text.length): number {
  let index = end;
  while (index > start && isPythonWhitespace(text.charCodeAt(index - 1))) index--;
  return index;
}
