import { KilnError } from "../core/index.js";

/**
 * The PEP 503 normalized form of a project name, validated against PEP 508's name grammar,
 * used to build `/simple/<name>/` URLs and to match lock-file keys.
 *
 * @example
 * normalizeProjectName("Pydantic_Core"); // "pydantic-core"
 */
export function normalizeProjectName(name: string): string {
  if (!/^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$/.test(name)) {
    throw new KilnError("invalidName", `Cannot use "${name}" as a project name: not a valid Python package name`, {
      hint: "Names consist of letters, digits, '-', '_' and '.', and start and end with a letter or digit",
    });
  }
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}
