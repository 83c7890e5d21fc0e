import { KilnError } from "../core/index.js";

/** What is being parsed, for error messages. */
export interface ParseSubject {
  code: "invalidRequirement" | "invalidMarker";
  /** "requirement" or "marker", as it appears in the message. */
  noun: string;
  source: string;
}

const shownLength = 200;

/**
 * Builds the error for a syntax problem at `position` (0-based) of the subject's source:
 * `Cannot parse requirement "foo >=": expected a version after ">=" at column 7`.
 *
 * @example
 * throw syntaxError({ code: "invalidMarker", noun: "marker", source: "os_name ==" }, "expected a value", 10);
 */
export function syntaxError(subject: ParseSubject, problem: string, position: number, hint?: string): KilnError {
  return new KilnError(subject.code, `Cannot parse ${subject.noun} ${quoteInput(subject.source)}: ${problem} at column ${position + 1}`, {
    hint: hint ?? defaultHint(subject.code),
  });
}

function defaultHint(code: ParseSubject["code"]): string {
  return code === "invalidMarker"
    ? `Markers look like: python_version >= "3.9" and sys_platform != "emscripten"`
    : `Requirements look like: name[extra1,extra2] >=1.0,<2; python_version >= "3.9"  or  name @ https://host/file.whl`;
}

/**
 * The input as messages show it: in double quotes, cut after 200 characters.
 *
 * @example
 * quoteInput("foo >="); // '"foo >="'
 */
export function quoteInput(text: string): string {
  return `"${text.length > shownLength ? `${text.slice(0, shownLength)}…` : text}"`;
}
