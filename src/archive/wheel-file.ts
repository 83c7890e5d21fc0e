import { KilnError } from "../core/index.js";

/** A wheel's `{name}-{version}.dist-info/WHEEL` file. */
export interface WheelFile {
  /** `Wheel-Version` as [major, minor]; installers refuse a major version they do not know. */
  wheelVersion: [number, number];
  generator?: string;
  /** True when the wheel's root goes to purelib, false for platlib. */
  rootIsPurelib: boolean;
  /** Every `Tag` line, such as `py3-none-any`. */
  tags: string[];
  build?: string;
}

function wheelFileError(why: string, cause?: unknown): KilnError {
  return new KilnError("invalidWheelFile", `Cannot parse WHEEL file: ${why}`, {
    hint: "WHEEL holds email-style headers such as \"Wheel-Version: 1.0\"; the wheel is damaged or was built by a broken tool",
    cause,
  });
}

/** Reads `Key: value` header lines (with indented continuation lines) up to the first blank line. */
function readHeaders(text: string): [string, string][] {
  const headers: [string, string][] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line.trim() === "") {
      if (headers.length > 0) break;
      continue;
    }
    if (/^[ \t]/.test(line)) {
      const last = headers.at(-1);
      if (last === undefined) throw wheelFileError(`continuation line before any header: "${line}"`);
      last[1] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) throw wheelFileError(`expected "Key: value", found "${line}"`);
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return headers;
}

/**
 * Parses a WHEEL file (https://packaging.python.org/en/latest/specifications/binary-distribution-format/#the-dist-info-directory).
 * Header names match case-insensitively, as in email headers; unknown headers are ignored.
 *
 * @example
 * parseWheelFile("Wheel-Version: 1.0\nGenerator: bdist_wheel\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
 * // { wheelVersion: [1, 0], generator: "bdist_wheel", rootIsPurelib: true, tags: ["py3-none-any"] }
 */
export function parseWheelFile(text: string): WheelFile {
  const headers = readHeaders(text);
  const get = (name: string) => headers.filter(([key]) => key.toLowerCase() === name.toLowerCase()).map(([, value]) => value);
  const [version] = get("Wheel-Version");
  if (version === undefined) throw wheelFileError("no Wheel-Version header");
  const match = /^(\d+)\.(\d+)$/.exec(version);
  if (match === null) throw wheelFileError(`Wheel-Version "${version}" is not major.minor`);
  const result: WheelFile = {
    wheelVersion: [Number(match[1]), Number(match[2])],
    // pip treats a missing Root-Is-Purelib as false; so do we, for the same old wheels.
    rootIsPurelib: (get("Root-Is-Purelib")[0] ?? "").toLowerCase() === "true",
    tags: get("Tag"),
  };
  const [generator] = get("Generator");
  if (generator !== undefined) result.generator = generator;
  const [build] = get("Build");
  if (build !== undefined) result.build = build;
  return result;
}
