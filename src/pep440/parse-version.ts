import { KilnError } from "../core/index.js";
import { skipPythonWhitespace, trimEndIndex } from "./python-whitespace.js";
import { buildVersion, scanVersion } from "./scan-version.js";
import type { Version } from "./version.js";

/**
 * Parses and normalizes a PEP 440 version, exactly as `packaging.version.Version` does: case is
 * ignored, `-`/`_`/`.` separators are interchangeable, `alpha`/`beta`/`c`/`pre`/`preview`/
 * `rev`/`r` are alternative spellings, `1.0-1` is an implicit post-release, a leading `v` and
 * surrounding whitespace are dropped, and missing pre/post/dev numbers are 0.
 *
 * Throws a `KilnError` (`invalidVersion`) for anything else.
 *
 * @example
 * formatVersion(parseVersion(" V1.0-ALPHA_2.rev-3 ")); // "1.0a2.post3"
 */
export function parseVersion(text: string): Version {
  const version = tryParseVersion(text);
  if (version !== undefined) return version;
  throw new KilnError("invalidVersion", `Cannot parse version ${quote(text)}: not a valid PEP 440 version`, {
    hint: "Versions look like 1.0, 2.3.1rc1, 1.0.post2.dev3 or 1!2.0+local.1 (https://peps.python.org/pep-0440/)",
  });
}

/**
 * Like {@link parseVersion}, but returns undefined for invalid input.
 *
 * @example
 * tryParseVersion("1.0.0-final"); // undefined
 */
export function tryParseVersion(text: string): Version | undefined {
  if (typeof text !== "string") return undefined;
  const start = skipPythonWhitespace(text, 0);
  const end = trimEndIndex(text, start);
  return scanVersion(text, start, end, true) === end ? buildVersion(text) : undefined;
}

/** Quotes input for an error message, shortened so a huge input does not flood the terminal. */
export function quote(text: unknown): string {
  const value = typeof text === "string" ? text : String(text);
  return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
}
