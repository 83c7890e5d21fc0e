/** A token of an HTML document, as {@link scanHtml} yields it. */
export type HtmlToken =
  | { type: "start"; name: string; attributes: Map<string, string> }
  | { type: "end"; name: string }
  | { type: "text"; text: string };

const rawTextElements = new Set(["script", "style", "textarea", "title"]);

/**
 * Splits HTML into start tags (with entity-decoded attributes), end tags and decoded text, in one
 * linear pass: enough for PEP 503 pages, which are plain anchors, and robust against the rest
 * (comments, scripts, stray `<`, unquoted attributes, upper case). Tag and attribute names are
 * lower-cased; the first of duplicate attributes wins, as in browsers.
 *
 * @example
 * [...scanHtml('<a href="x.whl#sha256=ab">x.whl</a>')];
 * // start a {href: "x.whl#sha256=ab"}, text "x.whl", end a
 */
export function* scanHtml(html: string): Generator<HtmlToken> {
  let position = 0;
  while (position < html.length) {
    const open = html.indexOf("<", position);
    if (open < 0) {
      yield { type: "text", text: decodeHtmlEntities(html.slice(position)) };
      return;
    }
    if (open > position) yield { type: "text", text: decodeHtmlEntities(html.slice(position, open)) };
    const tag = readTag(html, open);
    if (!tag) {
      yield { type: "text", text: "<" };
      position = open + 1;
      continue;
    }
    position = tag.end;
    if (tag.token) yield tag.token;
    if (tag.token?.type === "start" && rawTextElements.has(tag.token.name)) {
      const closing = new RegExp(`</${tag.token.name}`, "gi");
      closing.lastIndex = position;
      const end = closing.exec(html)?.index ?? html.length;
      if (tag.token.name === "title") yield { type: "text", text: decodeHtmlEntities(html.slice(position, end)) };
      position = end;
    }
  }
}

function readTag(html: string, open: number): { end: number; token?: HtmlToken } | undefined {
  const next = html[open + 1];
  if (html.startsWith("<!--", open)) {
    const close = html.indexOf("-->", open + 4);
    return { end: close < 0 ? html.length : close + 3 };
  }
  if (next === "!" || next === "?") {
    const close = html.indexOf(">", open);
    return { end: close < 0 ? html.length : close + 1 };
  }
  if (next === "/") {
    const match = /^[A-Za-z][^\s/>]*/.exec(html.slice(open + 2, open + 66));
    if (!match) return undefined;
    const close = html.indexOf(">", open);
    return { end: close < 0 ? html.length : close + 1, token: { type: "end", name: match[0].toLowerCase() } };
  }
  const nameMatch = /^[A-Za-z][^\s/>]*/.exec(html.slice(open + 1, open + 65));
  if (!nameMatch) return undefined;
  return readAttributes(html, open + 1 + nameMatch[0].length, nameMatch[0].toLowerCase());
}

function readAttributes(html: string, start: number, name: string): { end: number; token: HtmlToken } {
  const attributes = new Map<string, string>();
  let position = start;
  for (;;) {
    while (position < html.length && /[\s/]/.test(html[position]!)) position++;
    if (position >= html.length || html[position] === ">") break;
    let nameEnd = position;
    while (nameEnd < html.length && !/[\s/>=]/.test(html[nameEnd]!)) nameEnd++;
    if (nameEnd === position) nameEnd++;
    const attribute = html.slice(position, nameEnd).toLowerCase();
    position = nameEnd;
    while (position < html.length && /\s/.test(html[position]!)) position++;
    let value = "";
    if (html[position] === "=") {
      position++;
      while (position < html.length && /\s/.test(html[position]!)) position++;
      const quote = html[position];
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, position + 1);
        const end = close < 0 ? html.length : close;
        value = html.slice(position + 1, end);
        position = end + 1;
      } else {
        let end = position;
        while (end < html.length && !/[\s>]/.test(html[end]!)) end++;
        value = html.slice(position, end);
        position = end;
      }
    }
    if (!attributes.has(attribute)) attributes.set(attribute, decodeHtmlEntities(value));
  }
  return { end: Math.min(position + 1, html.length), token: { type: "start", name, attributes } };
}

const namedEntities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

/**
 * Decodes character references: the named ones index pages use (`&amp;`, `&lt;`, `&gt;`,
 * `&quot;`, `&apos;`, `&nbsp;`) and every numeric one. Unknown names are left as written.
 *
 * @example
 * decodeHtmlEntities("&gt;=3.8,&#33;=3.9.*"); // ">=3.8,!=3.9.*"
 */
export function decodeHtmlEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z]{2,8});/g, (whole, body: string) => {
    if (body[0] !== "#") return namedEntities[body] ?? whole;
    const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : "\ufffd";
  });
}
