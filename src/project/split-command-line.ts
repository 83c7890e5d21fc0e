import { KilnError } from "../core/index.js";

/**
 * Splits a command line into words as a POSIX shell does for plain words and quoting (no
 * expansion): `'…'` is literal, `"…"` allows `\"`, `\\`, `\$` and `` \` `` escapes, a bare
 * backslash quotes the next character. What Python's `shlex.split` gives, so a `command` in
 * `pyproject.toml` means the same to kiln as to the tools it is copied from.
 *
 * @example
 * splitCommandLine(`python -m pytest -k "not slow"`, "command"); // ["python", "-m", "pytest", "-k", "not slow"]
 */
export function splitCommandLine(text: string, where: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (char === "'") {
      const end = text.indexOf("'", i + 1);
      if (end === -1) throw unclosed(text, where, "'");
      word = (word ?? "") + text.slice(i + 1, end);
      i = end;
    } else if (char === '"') {
      const { value, end } = readDoubleQuoted(text, i + 1, where);
      word = (word ?? "") + value;
      i = end;
    } else if (char === "\\") {
      if (i + 1 < text.length) word = (word ?? "") + text[++i];
    } else {
      word = (word ?? "") + char;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

function readDoubleQuoted(text: string, start: number, where: string): { value: string; end: number } {
  let value = "";
  for (let i = start; i < text.length; i++) {
    const char = text[i]!;
    if (char === '"') return { value, end: i };
    if (char === "\\" && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1]!)) value += text[++i];
    else value += char;
  }
  throw unclosed(text, where, '"');
}

function unclosed(text: string, where: string, quote: string): KilnError {
  return new KilnError("invalidTestConfig", `Cannot split ${where} ${JSON.stringify(text)}: a ${quote} quote is not closed`, {
    hint: "Close the quote, or give the command as a list of words",
  });
}
