/**
 * RFC 822-style header blocks as core metadata (`METADATA`, `PKG-INFO`) and `WHEEL` files use
 * them. The core metadata spec defines the format as "what the standard library's email.parser
 * parses with the compat32 policy", so this follows that parser line for line: continuation
 * lines keep their line break and indentation, a line that is not a header ends the headers,
 * and the rest is the body.
 */

/** One header field, in file order, name as written. */
export interface EmailField {
  name: string;
  value: string;
}

/** A parsed header block: fields in order, the body after the blank line, and what was off. */
export interface EmailHeaders {
  fields: EmailField[];
  /** Everything after the header block; `""` when there is none. */
  body: string;
  /** Problems the parser worked around, such as a line that is neither header nor blank. */
  defects: string[];
}

// RFC 2822 field names: printable ASCII except space and ":" (email.feedparser.headerRE).
const headerLine = /^(?:From |[\x21-\x39\x3b-\x7e]*:|[\t ])/;
const lineBreak = /\r\n|\r|\n/g;

/**
 * Parses an RFC 822-style header block with an optional body after a blank line. Bytes are read
 * as UTF-8 (invalid sequences become U+FFFD and are reported as a defect); a leading byte order
 * mark is ignored.
 *
 * @example
 * const wheel = parseEmailHeaders("Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
 * headerValue(wheel, "root-is-purelib"); // "true"
 */
export function parseEmailHeaders(input: string | Uint8Array): EmailHeaders {
  const defects: string[] = [];
  const text = decode(input, defects).replace(/^\ufeff/, "");
  // Only the header block is split into lines: the body (a long description, often hundreds of
  // kB) is one slice, so reading a wheel's dependencies does not walk its README.
  const headerLines: string[] = [];
  let start = 0;
  while (start < text.length) {
    const end = lineEnd(text, start);
    const line = text.slice(start, end);
    if (!headerLine.test(line)) {
      if (/^(?:\r\n|\r|\n)/.test(line)) start = end;
      else defects.push(`line ${headerLines.length + 1} is neither a header nor the blank line before the body: "${clip(line)}"`);
      break;
    }
    headerLines.push(line);
    start = end;
  }
  const { fields, pushedBack } = collectFields(headerLines, defects);
  const body = (pushedBack ?? "") + text.slice(start);
  return { fields, body, defects };
}

function collectFields(lines: string[], defects: string[]): { fields: EmailField[]; pushedBack?: string } {
  const fields: EmailField[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length > 0) fields.push(fieldOf(current));
    current = [];
  };
  for (let lineNumber = 0; lineNumber < lines.length; lineNumber++) {
    const line = lines[lineNumber]!;
    if (line[0] === " " || line[0] === "\t") {
      if (current.length === 0) defects.push(`line ${lineNumber + 1} continues a header that does not exist`);
      else current.push(line);
      continue;
    }
    flush();
    if (line.startsWith("From ")) {
      // An mbox envelope line: ignored first, the body's first line last, a defect elsewhere.
      if (lineNumber === lines.length - 1 && lineNumber > 0) return { fields, pushedBack: line };
      if (lineNumber > 0) defects.push(`line ${lineNumber + 1} is a misplaced "From " line`);
      continue;
    }
    if (line.startsWith(":")) {
      defects.push(`line ${lineNumber + 1} has no header name`);
      continue;
    }
    current = [line];
  }
  flush();
  return { fields };
}

function fieldOf(lines: string[]): EmailField {
  const first = lines[0]!;
  const colon = first.indexOf(":");
  const value = first.slice(colon + 1).replace(/^[ \t]+/, "") + lines.slice(1).join("");
  return { name: first.slice(0, colon), value: value.replace(/[\r\n]+$/, "") };
}

/** The index just past the line break that ends the line starting at `start` (or the end of `text`). */
function lineEnd(text: string, start: number): number {
  lineBreak.lastIndex = start;
  const match = lineBreak.exec(text);
  return match === null ? text.length : match.index + match[0].length;
}

function decode(input: string | Uint8Array, defects: string[]): string {
  if (typeof input === "string") return input;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(input);
  } catch {
    defects.push("the data is not valid UTF-8; invalid bytes were replaced");
    return new TextDecoder("utf-8", { ignoreBOM: true }).decode(input);
  }
}

function clip(line: string): string {
  const trimmed = line.replace(/[\r\n]+$/, "");
  return trimmed.length > 80 ? `${trimmed.slice(0, 80)}…` : trimmed;
}

/**
 * Every value of the header `name` (case-insensitive), in file order.
 *
 * @example
 * headerValues(parseEmailHeaders("Tag: py2-none-any\nTag: py3-none-any\n"), "tag"); // ["py2-none-any", "py3-none-any"]
 */
export function headerValues(headers: EmailHeaders, name: string): string[] {
  const wanted = name.toLowerCase();
  return headers.fields.filter((field) => field.name.toLowerCase() === wanted).map((field) => field.value);
}

/**
 * The first value of the header `name` (case-insensitive), or undefined.
 *
 * @example
 * headerValue(parseEmailHeaders("Wheel-Version: 1.0\n"), "Wheel-Version"); // "1.0"
 */
export function headerValue(headers: EmailHeaders, name: string): string | undefined {
  return headerValues(headers, name)[0];
}
