import { KilnError } from "../core/index.js";

// The core metadata spec's `Name`: ASCII letters and digits, with `.`, `_` and `-` allowed inside.
const validName = /^(?:[a-z0-9]|[a-z0-9][a-z0-9._-]*[a-z0-9])$/i;
const normalizedName = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Normalizes a project or extra name the PEP 503 way: lower case, every run of `-`, `_` and `.`
 * replaced by one `-`. It does not validate; see {@link isValidName}.
 *
 * @example
 * normalizeName("Oslo.Concurrency__Extra"); // "oslo-concurrency-extra"
 */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/**
 * True when `name` is a valid project name per the core metadata spec: ASCII letters and digits,
 * and `.`, `_`, `-` between them.
 *
 * @example
 * isValidName("zope.interface"); // true
 * isValidName("-leading-dash"); // false
 */
export function isValidName(name: string): boolean {
  return validName.test(name);
}

/**
 * True when `name` is already in PEP 503 normalized form and valid (`normalizeName(name) === name`).
 *
 * @example
 * isNormalizedName("django"); // true
 * isNormalizedName("Django"); // false
 */
export function isNormalizedName(name: string): boolean {
  return normalizedName.test(name);
}

/**
 * Checks that `name` is a valid project name and returns its normalized form.
 *
 * @example
 * parseName("Typing_Extensions"); // "typing-extensions"
 */
export function parseName(name: string): string {
  if (!isValidName(name)) {
    throw new KilnError("invalidName", `Cannot use "${name}" as a package name: ${nameProblem(name)}`, {
      hint: "Names use ASCII letters, digits, '.', '_' and '-', and start and end with a letter or digit",
    });
  }
  return normalizeName(name);
}

function nameProblem(name: string): string {
  if (name === "") return "it is empty";
  const bad = /[^a-z0-9._-]/i.exec(name);
  if (bad) return `character "${bad[0]}" is not allowed`;
  return "it must start and end with a letter or digit";
}
