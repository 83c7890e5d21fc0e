import { isKilnError, KilnError } from "../core/index.js";
import { formatVersion, tryParseVersion, type Version } from "../pep440/index.js";
import { normalizeName } from "../pep508/index.js";
import { formatTagSet, tryParseTag, type Tag } from "../tags/index.js";

/** The parts of a wheel filename (PEP 427). */
export interface WheelFilename {
  /** The project name, PEP 503-normalized (`typing-extensions`). */
  name: string;
  version: Version;
  /** The optional build tag: its leading number and the rest (`1abc` → `[1, "abc"]`). */
  buildTag?: [number, string];
  /** The tags, expanded from a compressed tag set, in written order. */
  tags: Tag[];
}

// PEP 427: the escaped name is word characters, "." and "_" (Unicode \w, as packaging checks it).
const escapedName = /^[\p{L}\p{N}_.]+$/u;

/**
 * Parses `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl` by the rules packaging 26.3
 * applies: four or five dash-separated parts, an escaped name without `__`, a valid PEP 440
 * version, a build tag starting with a digit, and valid (possibly compressed) tags.
 *
 * @example
 * const wheel = parseWheelFilename("pydantic_core-2.41.5-cp314-cp314-pyemscripten_2026_0_wasm32.whl");
 * wheel.name; // "pydantic-core"
 * wheel.tags[0].platform; // "pyemscripten_2026_0_wasm32"
 */
export function parseWheelFilename(filename: string): WheelFilename {
  if (!filename.endsWith(".whl")) throw invalid(filename, 'it does not end in ".whl"');
  const stem = filename.slice(0, -4);
  const parts = stem.split("-");
  if (parts.length !== 5 && parts.length !== 6) {
    throw invalid(filename, `expected 5 or 6 dash-separated parts (name-version[-build]-python-abi-platform), found ${parts.length}`);
  }
  const [namePart, versionPart] = parts as [string, string];
  if (namePart.includes("__") || !escapedName.test(namePart)) {
    throw invalid(filename, `"${namePart}" is not an escaped project name (letters, digits, "_" and "."; no "__")`);
  }
  const version = tryParseVersion(versionPart);
  if (version === undefined) throw invalid(filename, `"${versionPart}" is not a valid PEP 440 version`);
  const wheel: WheelFilename = { name: normalizeName(namePart), version, tags: [] };
  if (parts.length === 6) wheel.buildTag = parseBuildTag(filename, parts[2]!);
  const tagText = parts.slice(-3).join("-");
  const tags = tryParseTag(tagText);
  if (tags === undefined) throw invalid(filename, `"${tagText}" is not a valid tag`);
  wheel.tags = tags;
  return wheel;
}

function parseBuildTag(filename: string, text: string): [number, string] {
  // Like packaging's `(\d+)(.*)` match: the rest stops at a line break.
  const match = /^([0-9]+)([^\n]*)/.exec(text);
  if (match === null) throw invalid(filename, `build tag "${text}" does not start with a digit`);
  const number = Number(match[1]);
  if (!Number.isSafeInteger(number)) throw invalid(filename, `build number ${match[1]} is too large`);
  return [number, match[2]!];
}

/**
 * Like {@link parseWheelFilename}, but returns undefined for invalid input.
 *
 * @example
 * tryParseWheelFilename("foo-1.0.whl"); // undefined
 */
export function tryParseWheelFilename(filename: string): WheelFilename | undefined {
  try {
    return parseWheelFilename(filename);
  } catch (error) {
    if (isKilnError(error)) return undefined;
    throw error;
  }
}

/**
 * Builds the canonical wheel filename: escaped normalized name, normalized version, build tag,
 * compressed tag set.
 *
 * @example
 * formatWheelFilename({ name: "Typing.Extensions", version: parseVersion("4.12.0"), tags: parseTag("py3-none-any") });
 * // "typing_extensions-4.12.0-py3-none-any.whl"
 */
export function formatWheelFilename(wheel: WheelFilename): string {
  const name = normalizeName(wheel.name).replaceAll("-", "_");
  const build = wheel.buildTag === undefined ? "" : `-${wheel.buildTag[0]}${wheel.buildTag[1]}`;
  return `${name}-${formatVersion(wheel.version).replaceAll("-", "_")}${build}-${formatTagSet(wheel.tags)}.whl`;
}

function invalid(filename: string, problem: string): KilnError {
  const shown = filename.length > 200 ? `${filename.slice(0, 200)}…` : filename;
  return new KilnError("invalidWheelFilename", `Cannot parse wheel filename "${shown}": ${problem}`, {
    hint: "Wheel filenames look like name-1.0(-1build)-py3-none-any.whl (PEP 427)",
  });
}
