import { isKilnError } from "../core/index.js";
import type {
  Marker,
  MarkerBooleanOperator,
  MarkerComparison,
  MarkerOperand,
  MarkerOperator,
  MarkerTerm,
  MarkerVariableName,
} from "./marker.js";
import { setMarkerVariables } from "./marker.js";
import { normalizeName } from "./normalize-name.js";
import { decodePythonString } from "./python-string.js";
import { syntaxError, type ParseSubject } from "./syntax-error.js";
import { Tokenizer } from "./tokenizer.js";

// Deeper nesting than this is certainly not a real marker; stopping here keeps the recursive
// parser (and everything that walks the tree) away from the stack limit.
const maximumNesting = 100;

/**
 * Parses an environment marker such as `python_version >= "3.9" and sys_platform == "linux"`.
 * Legacy variable spellings (`os.name`, `python_implementation`) become their canonical names and
 * values compared with `extra`, `extras` or `dependency_groups` are normalized (PEP 685).
 *
 * @example
 * const marker = parseMarker('sys_platform == "emscripten"');
 * marker.terms[0]; // { kind: "comparison", left: { kind: "variable", name: "sys_platform" }, operator: "==", … }
 */
export function parseMarker(text: string): Marker {
  const subject: ParseSubject = { code: "invalidMarker", noun: "marker", source: text };
  const tokenizer = new Tokenizer(text);
  const marker = readMarker(tokenizer, subject);
  if (!tokenizer.check("end")) throw syntaxError(subject, "expected end of marker expression", tokenizer.position);
  return marker;
}

/**
 * Like {@link parseMarker}, but returns undefined for invalid input.
 *
 * @example
 * tryParseMarker("os_name = 'posix'"); // undefined
 */
export function tryParseMarker(text: string): Marker | undefined {
  try {
    return parseMarker(text);
  } catch (error) {
    if (isKilnError(error)) return undefined;
    throw error;
  }
}

/**
 * Reads `marker = term (and|or term)*` from `tokenizer`; the requirement parser uses it after `;`.
 *
 * @example
 * readMarker(new Tokenizer('os_name == "nt"'), { code: "invalidMarker", noun: "marker", source: 'os_name == "nt"' });
 */
export function readMarker(tokenizer: Tokenizer, subject: ParseSubject, depth = 0): Marker {
  const terms = [readTerm(tokenizer, subject, depth)];
  const operators: MarkerBooleanOperator[] = [];
  for (let token = tokenizer.take("booleanOperator"); token; token = tokenizer.take("booleanOperator")) {
    operators.push(token.text as MarkerBooleanOperator);
    terms.push(readTerm(tokenizer, subject, depth));
  }
  return { kind: "marker", terms, operators };
}

function readTerm(tokenizer: Tokenizer, subject: ParseSubject, depth: number): MarkerTerm {
  tokenizer.skip("whitespace");
  const open = tokenizer.take("leftParenthesis");
  let term: MarkerTerm;
  if (open) {
    if (depth >= maximumNesting) {
      throw syntaxError(subject, `parentheses nested more than ${maximumNesting} deep`, open.position);
    }
    tokenizer.skip("whitespace");
    term = readMarker(tokenizer, subject, depth + 1);
    tokenizer.skip("whitespace");
    if (!tokenizer.take("rightParenthesis")) {
      throw syntaxError(subject, `expected ")" to close the "(" at column ${open.position + 1}`, tokenizer.position);
    }
  } else {
    term = readComparison(tokenizer, subject);
  }
  tokenizer.skip("whitespace");
  return term;
}

function readComparison(tokenizer: Tokenizer, subject: ParseSubject): MarkerComparison {
  const left = readOperand(tokenizer, subject);
  tokenizer.skip("whitespace");
  const operator = readOperator(tokenizer, subject);
  tokenizer.skip("whitespace");
  const right = readOperand(tokenizer, subject);
  tokenizer.skip("whitespace");
  return normalizeExtraValues({ kind: "comparison", left, operator, right });
}

function readOperand(tokenizer: Tokenizer, subject: ParseSubject): MarkerOperand {
  const variable = tokenizer.take("variable");
  if (variable) return { kind: "variable", name: canonicalVariable(variable.text) };
  const quoted = tokenizer.take("quotedString");
  if (quoted) {
    const decoded = decodePythonString(quoted.text.slice(1, -1));
    if ("problem" in decoded) throw syntaxError(subject, `invalid quoted string (${decoded.problem})`, quoted.position);
    return { kind: "string", value: decoded.value };
  }
  throw syntaxError(subject, operandProblem(tokenizer), tokenizer.position);
}

function operandProblem(tokenizer: Tokenizer): string {
  const rest = tokenizer.source.slice(tokenizer.position);
  if (rest === "") return "expected a marker variable or a quoted string, found the end";
  const quote = rest[0];
  if (quote === '"' || quote === "'") return `unterminated quoted string (no closing ${quote})`;
  const word = /^[\p{L}\p{N}_.]+/u.exec(rest)?.[0];
  if (word) return `unknown marker variable "${word}" (expected a variable such as python_version, or a quoted string)`;
  return "expected a marker variable or a quoted string";
}

function readOperator(tokenizer: Tokenizer, subject: ParseSubject): MarkerOperator {
  if (tokenizer.take("in")) return "in";
  if (tokenizer.take("not")) {
    if (!tokenizer.take("whitespace")) throw syntaxError(subject, `expected whitespace after "not"`, tokenizer.position);
    if (!tokenizer.take("in")) throw syntaxError(subject, `expected "in" after "not"`, tokenizer.position);
    return "not in";
  }
  const operator = tokenizer.take("operator");
  if (operator) return operator.text as MarkerOperator;
  throw syntaxError(
    subject,
    "expected a marker operator, one of <, <=, ==, !=, >=, >, ~=, ===, in, not in",
    tokenizer.position,
  );
}

function canonicalVariable(text: string): MarkerVariableName {
  const name = text.replace(".", "_");
  return (name === "python_implementation" ? "platform_python_implementation" : name) as MarkerVariableName;
}

// PEP 685: extra names are compared normalized, so the literal is normalized once here, which also
// makes equal markers format the same.
function normalizeExtraValues(comparison: MarkerComparison): MarkerComparison {
  const { left, right } = comparison;
  if (left.kind === "variable" && left.name === "extra" && right.kind === "string") {
    return { ...comparison, right: { kind: "string", value: normalizeName(right.value) } };
  }
  if (right.kind === "variable" && left.kind === "string") {
    if (right.name === "extra" || setMarkerVariables.has(right.name)) {
      return { ...comparison, left: { kind: "string", value: normalizeName(left.value) } };
    }
  }
  return comparison;
}
