/** One element of an XML document: its name, attributes, child elements and text. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own character data (CDATA included), children's text left out. */
  text: string;
}

const namedEntities: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/**
 * Reads an XML document into a tree of elements: elements, attributes, character data, CDATA
 * sections and the five predefined plus numeric character references; declarations, comments,
 * processing instructions and DOCTYPEs are skipped. Enough for JUnit XML reports, not a general
 * validating parser. Throws a `SyntaxError` naming the offset on malformed input.
 *
 * @example
 * readXml('<a x="1"><b>hi &amp; bye</b></a>').children[0]!.text; // "hi & bye"
 */
export function readXml(text: string): XmlElement {
  const root: XmlElement = { name: "#document", attributes: {}, children: [], text: "" };
  const stack: XmlElement[] = [root];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf("<", i);
    const top = stack[stack.length - 1]!;
    if (open === -1) {
      top.text += decodeEntities(text.slice(i), i);
      break;
    }
    if (open > i) top.text += decodeEntities(text.slice(i, open), i);
    i = readMarkup(text, open, stack);
  }
  if (stack.length > 1) throw new SyntaxError(`XML ends inside <${stack[stack.length - 1]!.name}>`);
  const documentElement = root.children[0];
  if (!documentElement || root.children.length > 1) throw new SyntaxError("XML must have exactly one root element");
  return documentElement;
}

/** Reads the markup starting at `open` (a `<`) and returns the offset after it. */
function readMarkup(text: string, open: number, stack: XmlElement[]): number {
  const top = stack[stack.length - 1]!;
  if (text.startsWith("<![CDATA[", open)) {
    const end = expect(text, "]]>", open);
    top.text += text.slice(open + 9, end);
    return end + 3;
  }
  if (text.startsWith("<!--", open)) return expect(text, "-->", open) + 3;
  if (text.startsWith("<?", open)) return expect(text, "?>", open) + 2;
  if (text.startsWith("<!", open)) return expect(text, ">", open) + 1;
  if (text.startsWith("</", open)) {
    const end = expect(text, ">", open);
    const name = text.slice(open + 2, end).trim();
    if (stack.length === 1 || top.name !== name) throw new SyntaxError(`Unexpected </${name}> at offset ${open}`);
    stack.pop();
    return end + 1;
  }
  const tag = /^<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(text.slice(open, open + 65536));
  if (!tag) throw new SyntaxError(`Malformed tag at offset ${open}`);
  const element: XmlElement = { name: tag[1]!, attributes: readAttributes(tag[2]!, open), children: [], text: "" };
  top.children.push(element);
  if (tag[3] !== "/") stack.push(element);
  return open + tag[0].length;
}

function readAttributes(source: string, offset: number): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of source.matchAll(/([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    attributes[match[1]!] = decodeEntities(match[2] ?? match[3] ?? "", offset);
  }
  return attributes;
}

function expect(text: string, token: string, from: number): number {
  const end = text.indexOf(token, from);
  if (end === -1) throw new SyntaxError(`Unterminated markup at offset ${from} (no "${token}")`);
  return end;
}

function decodeEntities(text: string, offset: number): string {
  return text.replace(/&([^;\s&]*);/g, (whole, name: string) => {
    const code = /^#x[0-9a-f]+$/i.test(name) ? parseInt(name.slice(2), 16) : /^#[0-9]+$/.test(name) ? parseInt(name.slice(1), 10) : undefined;
    if (code !== undefined) {
      if (code > 0x10ffff) throw new SyntaxError(`Character reference ${whole} is out of range near offset ${offset}`);
      return String.fromCodePoint(code);
    }
    const value = namedEntities[name];
    if (value === undefined) throw new SyntaxError(`Unknown entity ${whole} near offset ${offset}`);
    return value;
  });
}
