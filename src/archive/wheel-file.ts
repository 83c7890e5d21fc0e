import { KilnError } from "../core/index.js";
import { headerValues, parseEmailHeaders } from "../metadata/index.js";

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

function wheelFileError(why: string): KilnError {
  return new KilnError("invalidWheelFile", `Cannot parse WHEEL file: ${why}`, {
    hint: "WHEEL holds email-style headers such as \"Wheel-Version: 1.0\"; the wheel is damaged or was built by a broken tool",
  });
}

/**
 * Parses a WHEEL file (https://packaging.python.org/en/latest/specifications/binary-distribution-format/#the-dist-info-directory).
 * It is an email-style header block, read as Python's email.parser reads it (pip does the same):
 * names match case-insensitively, unknown headers are ignored, and a stray line ends the headers.
 *
 * @example
 * parseWheelFile("Wheel-Version: 1.0\nGenerator: bdist_wheel\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
 * // { wheelVersion: [1, 0], generator: "bdist_wheel", rootIsPurelib: true, tags: ["py3-none-any"] }
 */
export function parseWheelFile(text: string | Uint8Array): WheelFile {
  const headers = parseEmailHeaders(text);
  const get = (name: string) => headerValues(headers, name).map((value) => value.trim());
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
