/**
 * Python string literals as they appear in environment markers.
 *
 * The reference implementation reads a quoted marker value with `ast.literal_eval`, so escapes
 * such as `\n`, `\x41` and `\u00e9` are decoded and a raw line break is an error. kiln does the
 * same, except for `\N{NAME}` escapes, which need the Unicode name database.
 */

const simpleEscapes: Record<string, string> = {
  "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v",
};

/** Why a quoted marker value is not a valid Python string literal, or undefined when it is. */
export type PythonStringProblem = string;

/**
 * Decodes the body of a quoted Python string literal (without its quotes).
 * Returns `{ value }` or `{ problem }` describing the first error.
 *
 * @example
 * decodePythonString("a\\tb"); // { value: "a\tb" }
 */
export function decodePythonString(body: string): { value: string } | { problem: PythonStringProblem } {
  let value = "";
  let index = 0;
  while (index < body.length) {
    const backslash = body.indexOf("\\", index);
    const end = backslash === -1 ? body.length : backslash;
    const plain = body.slice(index, end);
    const bad = /[\n\r\0]/.exec(plain);
    if (bad) return { problem: bad[0] === "\0" ? "a null character inside a quoted string" : "a line break inside a quoted string" };
    value += plain;
    if (backslash === -1) break;
    const escape = decodeEscape(body, backslash + 1);
    if ("problem" in escape) return escape;
    value += escape.text;
    index = escape.end;
  }
  return { value };
}

function decodeEscape(body: string, start: number): { text: string; end: number } | { problem: string } {
  const kind = body[start];
  if (kind === undefined) return { problem: "the closing quote is escaped by a backslash" };
  if (kind === "\n") return { text: "", end: start + 1 };
  if (kind === "\r") return { text: "", end: body[start + 1] === "\n" ? start + 2 : start + 1 };
  if (kind === "\0") return { problem: "a null character inside a quoted string" };
  const simple = simpleEscapes[kind];
  if (simple !== undefined) return { text: simple, end: start + 1 };
  if (kind >= "0" && kind <= "7") {
    const digits = /^[0-7]{1,3}/.exec(body.slice(start, start + 3))![0];
    return { text: String.fromCodePoint(parseInt(digits, 8)), end: start + digits.length };
  }
  const width = kind === "x" ? 2 : kind === "u" ? 4 : kind === "U" ? 8 : 0;
  if (width > 0) {
    const digits = body.slice(start + 1, start + 1 + width);
    if (!/^[0-9a-f]+$/i.test(digits) || digits.length !== width) return { problem: `a truncated \\${kind} escape` };
    const code = parseInt(digits, 16);
    if (code > 0x10ffff) return { problem: `\\${kind}${digits} is not a Unicode character` };
    return { text: String.fromCodePoint(code), end: start + 1 + width };
  }
  if (kind === "N") return { problem: "\\N{...} escapes are not supported" };
  // Python keeps unknown escapes as written (with a warning).
  return { text: `\\${kind}`, end: start + 1 };
}

/**
 * Quotes a marker value so that {@link decodePythonString} gives it back: double quotes unless the
 * value contains one, escapes only where a plain quoted string cannot hold the value.
 *
 * @example
 * quotePythonString("linux"); // '"linux"'
 * quotePythonString('say "hi"'); // `'say "hi"'`
 */
export function quotePythonString(value: string): string {
  const quote = value.includes('"') && !value.includes("'") ? "'" : '"';
  const escaped = value.replace(/[\\\n\r\0"]/g, (char) => {
    if (char === '"') return quote === '"' ? "\\x22" : '"';
    return char === "\\" ? "\\\\" : char === "\n" ? "\\n" : char === "\r" ? "\\r" : "\\x00";
  });
  return `${quote}${escaped}${quote}`;
}
