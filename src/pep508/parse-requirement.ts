import { isKilnError, KilnError } from "../core/index.js";
import { parseSpecifierSet, type SpecifierSet } from "../pep440/index.js";
import type { Marker } from "./marker.js";
import { readMarker } from "./parse-marker.js";
import type { Requirement } from "./requirement.js";
import { quoteInput, syntaxError, type ParseSubject } from "./syntax-error.js";
import { Tokenizer } from "./tokenizer.js";

/**
 * Parses a PEP 508 requirement such as `requests[socks] >=2.8, <3 ; python_version >= "3.9"` or
 * `pkg @ https://host/pkg-1.0-py3-none-any.whl ; sys_platform == "emscripten"`. Accepts exactly
 * what `packaging.requirements.Requirement` accepts; errors name the problem and its column.
 *
 * @example
 * const requirement = parseRequirement("Foo[Bar] (>=1.0); extra == 'test'");
 * requirement.name; // "Foo"
 * requirement.specifier.toString(); // ">=1.0"
 */
export function parseRequirement(text: string): Requirement {
  const known = parsed.get(text);
  if (known !== undefined) return copyOf(known);
  const requirement = parseUncached(text);
  if (parsed.size >= parsedLimit) parsed.clear();
  parsed.set(text, requirement);
  return copyOf(requirement);
}

/**
 * Requirements parsed before, by their text: one install parses each line of its requirements
 * file in four or five places (the file, hash checking, the planner, the resolver) and each
 * installed distribution's Requires-Dist again in its check, with the tokenizer's rules still
 * interpreted in a short process. Bounded; invalid text is not kept (it throws each time).
 */
const parsed = new Map<string, Requirement>();
const parsedLimit = 4096;

/** A copy a caller may change without changing what the next caller gets (the specifier set is immutable, the marker tree is never changed). */
function copyOf(requirement: Requirement): Requirement {
  const copy: Requirement = { name: requirement.name, extras: [...requirement.extras], specifier: requirement.specifier };
  if (requirement.url !== undefined) copy.url = requirement.url;
  if (requirement.marker !== undefined) copy.marker = requirement.marker;
  return copy;
}

/**
 * `name` or `name==version` with a canonical version (release, optional aN/bN/rcN, .postN, .devN,
 * epoch), as a lock or `pip freeze` writes every line: the tokenizer would read these as one
 * identifier and one specifier token, so they are taken apart here without it. Its rules are large
 * regular expressions that V8 compiles on first use in every process (~1.5 ms of a warm install
 * whose requirements are all pins); anything else goes through the tokenizer.
 */
const pinnedOrBare = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(?:==((?:[0-9]+!)?[0-9]+(?:\.[0-9]+)*(?:(?:a|b|rc)[0-9]+)?(?:\.post[0-9]+)?(?:\.dev[0-9]+)?))?$/;

function parseUncached(text: string): Requirement {
  const simple = pinnedOrBare.exec(text);
  if (simple !== null) return { name: simple[1]!, extras: [], specifier: parseSpecifierSet(simple[2] === undefined ? "" : `==${simple[2]}`) };
  const subject: ParseSubject = { code: "invalidRequirement", noun: "requirement", source: text };
  const tokenizer = new Tokenizer(text);
  tokenizer.skip("whitespace");
  const name = tokenizer.take("identifier");
  if (!name) throw syntaxError(subject, nameProblem(tokenizer), tokenizer.position);
  tokenizer.skip("whitespace");
  const extras = readExtras(tokenizer, subject);
  tokenizer.skip("whitespace");
  const details = readDetails(tokenizer, subject);
  if (!tokenizer.check("end")) throw syntaxError(subject, "expected the end of the requirement", tokenizer.position);
  const requirement: Requirement = { name: name.text, extras, specifier: parseSpecifiers(details.specifier, subject) };
  if (details.url !== undefined) requirement.url = details.url;
  if (details.marker !== undefined) requirement.marker = details.marker;
  return requirement;
}

/**
 * Like {@link parseRequirement}, but returns undefined for invalid input.
 *
 * @example
 * tryParseRequirement("foo >="); // undefined
 */
export function tryParseRequirement(text: string): Requirement | undefined {
  try {
    return parseRequirement(text);
  } catch (error) {
    if (isKilnError(error)) return undefined;
    throw error;
  }
}

function nameProblem(tokenizer: Tokenizer): string {
  const rest = tokenizer.source.slice(tokenizer.position);
  if (rest.length === 0) return "expected a package name, found the end";
  return `expected a package name (letters, digits, ".", "_", "-"), found "${rest[0]}"`;
}

function readExtras(tokenizer: Tokenizer, subject: ParseSubject): string[] {
  const open = tokenizer.take("leftBracket");
  if (!open) return [];
  tokenizer.skip("whitespace");
  const extras: string[] = [];
  let extra = tokenizer.take("identifier");
  while (extra) {
    if (!extras.includes(extra.text)) extras.push(extra.text);
    tokenizer.skip("whitespace");
    if (tokenizer.check("identifier")) throw syntaxError(subject, "expected a comma between extra names", tokenizer.position);
    if (!tokenizer.take("comma")) break;
    tokenizer.skip("whitespace");
    extra = tokenizer.take("identifier");
    if (!extra) throw syntaxError(subject, "expected an extra name after the comma", tokenizer.position);
  }
  tokenizer.skip("whitespace");
  if (!tokenizer.take("rightBracket")) {
    throw syntaxError(subject, `expected "]" to close the "[" at column ${open.position + 1}`, tokenizer.position);
  }
  return extras;
}

interface Details {
  specifier: string;
  url?: string;
  marker?: Marker;
}

function readDetails(tokenizer: Tokenizer, subject: ParseSubject): Details {
  if (tokenizer.take("at")) {
    tokenizer.skip("whitespace");
    const url = tokenizer.take("url");
    if (!url) throw syntaxError(subject, 'expected a URL after "@"', tokenizer.position);
    // The URL runs to the next space, so a marker after it needs whitespace before the ";".
    if (!tokenizer.take("whitespace") || tokenizer.check("end")) return { specifier: "", url: url.text };
    if (!tokenizer.check("semicolon")) throw syntaxError(subject, 'expected ";" or the end after the URL', tokenizer.position);
    return { specifier: "", url: url.text, marker: readRequirementMarker(tokenizer, subject) };
  }
  const specifier = readSpecifier(tokenizer, subject);
  tokenizer.skip("whitespace");
  if (tokenizer.check("end")) return { specifier };
  if (!tokenizer.check("semicolon")) {
    const problem = versionProblem(tokenizer);
    if (problem) throw syntaxError(subject, problem.message, problem.position);
    throw syntaxError(subject, detailsProblem(tokenizer, specifier), tokenizer.position);
  }
  return { specifier, marker: readRequirementMarker(tokenizer, subject) };
}

function readRequirementMarker(tokenizer: Tokenizer, subject: ParseSubject): Marker {
  tokenizer.take("semicolon");
  const marker = readMarker(tokenizer, subject);
  tokenizer.skip("whitespace");
  return marker;
}

function readSpecifier(tokenizer: Tokenizer, subject: ParseSubject): string {
  const open = tokenizer.take("leftParenthesis");
  tokenizer.skip("whitespace");
  const specifier = readVersionMany(tokenizer, subject);
  tokenizer.skip("whitespace");
  if (open && !tokenizer.take("rightParenthesis")) {
    const problem = specifier === "" ? versionProblem(tokenizer) : undefined;
    if (problem) throw syntaxError(subject, problem.message, problem.position);
    throw syntaxError(subject, `expected ")" to close the "(" at column ${open.position + 1}`, tokenizer.position);
  }
  return specifier;
}

// version_many = (SPECIFIER (WS? "," WS? SPECIFIER)*)?, where a trailing comma is tolerated.
function readVersionMany(tokenizer: Tokenizer, subject: ParseSubject): string {
  let text = "";
  for (let token = tokenizer.take("specifier"); token; token = tokenizer.take("specifier")) {
    text += token.text;
    if (tokenizer.check("versionPrefixTrail")) {
      const operator = /^\s*(===|==|!=)/.exec(token.text)?.[1];
      const problem = operator === "==" || operator === "!="
        ? '".*" cannot follow a pre-release, post-release, dev or local version'
        : '".*" can only be used with "==" and "!="';
      throw syntaxError(subject, problem, tokenizer.position);
    }
    if (tokenizer.check("versionLocalLabelTrail")) {
      throw syntaxError(subject, 'a local version label ("+…") can only be used with "==" and "!="', tokenizer.position);
    }
    tokenizer.skip("whitespace");
    const comma = tokenizer.take("comma");
    if (!comma) break;
    text += comma.text;
    tokenizer.skip("whitespace");
  }
  return text;
}

function detailsProblem(tokenizer: Tokenizer, specifier: string): string {
  const found = describeNext(tokenizer);
  return specifier === ""
    ? `expected a version specifier, "@ URL", ";" or the end after the name, found ${found}`
    : `expected "," or ";" or the end after the version specifier, found ${found}`;
}

// When a comparison operator is present but no valid specifier followed, say what is wrong with it.
function versionProblem(tokenizer: Tokenizer): { message: string; position: number } | undefined {
  const start = tokenizer.position;
  const rest = tokenizer.source.slice(start, start + 200);
  const operator = /^(===|==|~=|!=|<=|>=|<|>)/.exec(rest)?.[1];
  if (operator === undefined) return undefined;
  const afterOperator = rest.slice(operator.length);
  const spaces = afterOperator.length - afterOperator.trimStart().length;
  const version = /^[^\s,;)]*/.exec(afterOperator.slice(spaces))![0];
  if (version === "") return { message: `expected a version after "${operator}"`, position: start + operator.length + spaces };
  if (operator === "~=" && /^v?(\d+!)?\d+$/i.test(version)) {
    return { message: `"~=" needs a version with at least two parts, such as ~=${version}.0`, position: start };
  }
  return { message: `"${operator}${version}" is not a valid version specifier`, position: start };
}

function describeNext(tokenizer: Tokenizer): string {
  const word = /^[^\s]{1,40}/.exec(tokenizer.source.slice(tokenizer.position))?.[0] ?? "";
  return `"${word}"`;
}

function parseSpecifiers(text: string, subject: ParseSubject): SpecifierSet {
  try {
    return parseSpecifierSet(text);
  } catch (error) {
    if (!isKilnError(error)) throw error;
    throw new KilnError("invalidRequirement", `Cannot parse requirement ${quoteInput(subject.source)}: ${error.message}`, {
      hint: error.hint,
      cause: error,
    });
  }
}
