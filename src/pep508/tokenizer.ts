/**
 * The context-sensitive tokenizer shared by the requirement and marker parsers.
 *
 * Token rules mirror the reference grammar (packaging's `_tokenizer.py`), including Python's
 * Unicode-aware `\b` and `\s`, so the same inputs split into the same tokens.
 */

// Python's `\w` and `\s` for str patterns; JavaScript's `\b` and `\s` differ from them.
const word = String.raw`[\p{L}\p{N}_]`;
const spaceCharacters = String.raw`\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000`;
const space = `[${spaceCharacters}]`;
const boundary = String.raw`(?:(?<=${word})(?!${word})|(?<!${word})(?=${word}))`;

const preRelease = String.raw`(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?[0-9]*)?`;
const postRelease = String.raw`(?:(?:-[0-9]+)|(?:[-_.]?(?:post|rev|r)[-_.]?[0-9]*))?`;
const devRelease = String.raw`(?:[-_.]?dev[-_.]?[0-9]*)?`;
const local = String.raw`(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?`;
const specifier = [
  String.raw`===${space}*[^${spaceCharacters};)]*`,
  String.raw`(?:==|!=)${space}*v?(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)*(?:\.\*|${preRelease}${postRelease}${devRelease}${local})`,
  String.raw`~=${space}*v?(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)+${preRelease}${postRelease}${devRelease}`,
  String.raw`(?:<=|>=|<|>)${space}*v?(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)*${preRelease}${postRelease}${devRelease}`,
].join("|");

const variable = [
  "python_version", "python_full_version", "os[._]name", "sys[._]platform", "platform_(?:release|system)",
  "platform[._](?:version|machine|python_implementation)", "python_implementation",
  "implementation_(?:name|version)", "extras?", "dependency_groups",
].join("|");

/** The token kinds the grammar uses. */
export type TokenName =
  | "leftParenthesis" | "rightParenthesis" | "leftBracket" | "rightBracket" | "semicolon" | "comma" | "quotedString"
  | "operator" | "booleanOperator" | "in" | "not" | "variable" | "specifier" | "at" | "url" | "identifier"
  | "versionPrefixTrail" | "versionLocalLabelTrail" | "whitespace" | "end";

/** The rules whose Unicode (`u`) patterns are built on first use: see {@link unicodeRules}. */
type UnicodeRuleName = "booleanOperator" | "in" | "not" | "variable" | "identifier";

const plainRules: Record<Exclude<TokenName, UnicodeRuleName>, RegExp> = {
  leftParenthesis: /\(/y,
  rightParenthesis: /\)/y,
  leftBracket: /\[/y,
  rightBracket: /\]/y,
  semicolon: /;/y,
  comma: /,/y,
  quotedString: /'[^']*'|"[^"]*"/y,
  operator: /===|==|~=|!=|<=|>=|<|>/y,
  specifier: new RegExp(`(?:${specifier})`, "iy"),
  at: /@/y,
  url: /[^ \t]+/y,
  versionPrefixTrail: /\.\*/y,
  versionLocalLabelTrail: /\+[a-z0-9]+(?:[-_.][a-z0-9]+)*/y,
  whitespace: /[ \t]+/y,
  end: /$/y,
};

let unicodeRulesMade: Record<UnicodeRuleName, RegExp> | undefined;

/**
 * The Unicode-aware rules, for sources with non-ASCII characters (rare): made when first needed,
 * since their lookbehind patterns over `\p{L}\p{N}` cost milliseconds to build, which every kiln
 * command would otherwise pay at start-up.
 */
function unicodeRules(): Record<UnicodeRuleName, RegExp> {
  return (unicodeRulesMade ??= {
    booleanOperator: new RegExp(String.raw`${boundary}(?:or|and)${boundary}`, "uy"),
    in: new RegExp(String.raw`${boundary}in${boundary}`, "uy"),
    not: new RegExp(String.raw`${boundary}not${boundary}`, "uy"),
    variable: new RegExp(String.raw`${boundary}(?:${variable})${boundary}`, "uy"),
    identifier: new RegExp(String.raw`${boundary}[a-zA-Z0-9][a-zA-Z0-9._-]*${boundary}`, "uy"),
  });
}

// For ASCII-only sources (nearly all): the same rules without the `u` flag and with ASCII word
// and space classes, which match the same tokens there. Unicode-aware lookbehind patterns cost
// milliseconds each to compile, more than a short-lived process spends parsing requirements.
const asciiWord = "[A-Za-z0-9_]";
const asciiBoundary = String.raw`(?:(?<=${asciiWord})(?!${asciiWord})|(?<!${asciiWord})(?=${asciiWord}))`;
const asciiRules: Record<UnicodeRuleName, RegExp> = {
  booleanOperator: new RegExp(String.raw`${asciiBoundary}(?:or|and)${asciiBoundary}`, "y"),
  in: new RegExp(String.raw`${asciiBoundary}in${asciiBoundary}`, "y"),
  not: new RegExp(String.raw`${asciiBoundary}not${asciiBoundary}`, "y"),
  variable: new RegExp(String.raw`${asciiBoundary}(?:${variable})${asciiBoundary}`, "y"),
  identifier: new RegExp(String.raw`${asciiBoundary}[a-zA-Z0-9][a-zA-Z0-9._-]*${asciiBoundary}`, "y"),
};
const nonAscii = /[^\x00-\x7f]/;

function isUnicodeRule(name: TokenName): name is UnicodeRuleName {
  return name in asciiRules;
}

/** One token: its kind, its text and where it starts (a 0-based index into the source). */
export interface Token {
  name: TokenName;
  text: string;
  position: number;
}

/**
 * Reads tokens on demand: the parser asks whether the next token is of a given kind, so the same
 * characters can be a URL in one place and an identifier in another.
 *
 * @example
 * const tokenizer = new Tokenizer("foo >= 1");
 * tokenizer.expect("identifier"); // { name: "identifier", text: "foo", position: 0 }
 */
export class Tokenizer {
  readonly source: string;
  position = 0;
  readonly #ascii: boolean;

  constructor(source: string) {
    this.source = source;
    this.#ascii = !nonAscii.test(source);
  }

  /** The token of kind `name` at the current position, without consuming it. */
  peek(name: TokenName): Token | undefined {
    const rule = isUnicodeRule(name) ? (this.#ascii ? asciiRules : unicodeRules())[name] : plainRules[name];
    rule.lastIndex = this.position;
    const match = rule.exec(this.source);
    return match === null ? undefined : { name, text: match[0], position: this.position };
  }

  /** True when the next token is of kind `name`. */
  check(name: TokenName): boolean {
    return this.peek(name) !== undefined;
  }

  /** Consumes and returns the next token if it is of kind `name`. */
  take(name: TokenName): Token | undefined {
    const token = this.peek(name);
    if (token !== undefined) this.position += token.text.length;
    return token;
  }

  /** Consumes a token of kind `name` if there is one. */
  skip(name: TokenName): void {
    this.take(name);
  }

  /** Consumes the next token of kind `name`, or calls `fail` with a description of what was expected. */
  expect(name: TokenName, fail: () => never): Token {
    return this.take(name) ?? fail();
  }

  /** The 1-based column of `position` (default: the current position), for messages. */
  column(position = this.position): number {
    return position + 1;
  }
}
