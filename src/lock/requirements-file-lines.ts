import { KilnError } from "../core/index.js";

/** One logical line of a requirements file and the physical line it starts on (1-based). */
export interface LogicalLine {
  line: number;
  text: string;
}

const comment = /(^|\s+)#.*$/;

/**
 * pip's line handling: a line ending in `\` continues on the next one (unless it is a comment
 * line, which ends a continuation); then `#` comments at the start of a line or after white space
 * are dropped, and blank lines skipped. `#` inside a word (`url#egg=x`) is kept.
 *
 * @example
 * logicalLines("a \\\n  >=1  # pin\n\n# note\nb"); // [{ line: 1, text: "a   >=1" }, { line: 5, text: "b" }]
 */
export function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  const push = (line: number, raw: string) => {
    const stripped = raw.replace(comment, "").trim();
    if (stripped) out.push({ line, text: stripped });
  };
  let pending: string[] = [];
  let start = 0;
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const isComment = /^\s*#/.test(raw);
    if (!raw.endsWith("\\") || isComment) {
      // A comment line joined to a continuation must still read as a comment.
      const piece = isComment ? ` ${raw}` : raw;
      if (pending.length > 0) {
        push(start, pending.join("") + piece);
        pending = [];
      } else push(index + 1, piece);
      return;
    }
    if (pending.length === 0) start = index + 1;
    pending.push(raw.replace(/^\\+|\\+$/g, ""));
  });
  if (pending.length > 0) push(start, pending.join(""));
  return out;
}

/**
 * Splits an option line into words like POSIX `shlex.split` (pip's way): white space separates,
 * single and double quotes group, `\` escapes outside single quotes.
 *
 * @example
 * splitOptionWords(`--index-url "https://example.org/my index/"`); // ["--index-url", "https://example.org/my index/"]
 */
export function splitOptionWords(text: string, where: string): string[] {
  const words: string[] = [];
  let current = "";
  let inWord = false;
  let quote: string | undefined;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === "\\" && quote === '"' && (text[index + 1] === '"' || text[index + 1] === "\\")) current += text[++index];
      else current += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (char === "\\" && index + 1 < text.length) {
      current += text[++index];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(current);
      current = "";
      inWord = false;
    } else {
      current += char;
      inWord = true;
    }
  }
  if (quote) throw new KilnError("invalidRequirementsFile", `Cannot read ${where}: a quote is not closed`, { hint: "Close the quote or remove it" });
  if (inWord) words.push(current);
  return words;
}
