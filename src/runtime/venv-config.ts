import { KilnError } from "../core/index.js";

/**
 * Parses `pyvenv.cfg` (PEP 405): `key = value` lines; keys are case-sensitive here, as kiln writes
 * them; blank lines and lines without `=` are ignored, as CPython's site.py does.
 *
 * @example
 * parseVenvConfig("home = /usr/bin\nversion = 3.14.2\n"); // { home: "/usr/bin", version: "3.14.2" }
 */
export function parseVenvConfig(text: string): Record<string, string> {
  const config: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const equals = line.indexOf("=");
    if (equals === -1) continue;
    const key = line.slice(0, equals).trim().toLowerCase();
    if (key !== "") config[key] = line.slice(equals + 1).trim();
  }
  return config;
}

/**
 * Formats `pyvenv.cfg` from ordered entries.
 *
 * @example
 * formatVenvConfig([["home", "/usr/bin"], ["version", "3.14.2"]]); // "home = /usr/bin\nversion = 3.14.2\n"
 */
export function formatVenvConfig(entries: Array<[string, string]>): string {
  for (const [key, value] of entries) {
    if (/[=\n]/.test(key) || value.includes("\n")) {
      throw new KilnError("venvInvalid", `Cannot write pyvenv.cfg entry "${key}": keys hold no "=" or newline, values no newline`);
    }
  }
  return entries.map(([key, value]) => `${key} = ${value}\n`).join("");
}
