import { isKilnError, KilnError } from "../core/index.js";

/** One compatibility tag triple (PEP 425), lower case: `cp314-cp314-pyemscripten_2026_0_wasm32`. */
export interface Tag {
  interpreter: string;
  abi: string;
  platform: string;
}

// Python's str.isidentifier(); interpreter tags must be identifiers (packaging 26.3).
const identifier = /^[\p{XID_Start}_][\p{XID_Continue}]*$/u;

/** More tags than this from one compressed tag set is an attack or a mistake, not a wheel. */
export const maximumTagSetSize = 4096;

/**
 * Parses a tag or a PEP 425 compressed tag set (`py2.py3-none-any`) into its tags, in the order
 * interpreter × ABI × platform as written, without duplicates. Tags are lower-cased.
 *
 * @example
 * parseTag("py2.py3-none-any").map(formatTag); // ["py2-none-any", "py3-none-any"]
 */
export function parseTag(text: string): Tag[] {
  const components = text.split("-").map((component) => component.split("."));
  if (components.length !== 3) {
    throw invalidTag(text, `a tag has three parts (interpreter-abi-platform), found ${components.length}`);
  }
  for (const parts of components) {
    if (parts.includes("")) throw invalidTag(text, `empty component in "${parts.join(".")}"`);
  }
  const [interpreters, abis, platforms] = components.map((parts) => unique(parts.map((part) => part.toLowerCase()))) as [
    string[],
    string[],
    string[],
  ];
  const bad = interpreters.find((interpreter) => !identifier.test(interpreter));
  if (bad !== undefined) throw invalidTag(text, `interpreter "${bad}" is not an identifier`);
  const size = interpreters.length * abis.length * platforms.length;
  if (size > maximumTagSetSize) throw invalidTag(text, `the compressed tag set expands to ${size} tags`);
  return interpreters.flatMap((interpreter) =>
    abis.flatMap((abi) => platforms.map((platform) => ({ interpreter, abi, platform }))),
  );
}

/**
 * Like {@link parseTag}, but returns undefined for invalid input.
 *
 * @example
 * tryParseTag("py3-none"); // undefined
 */
export function tryParseTag(text: string): Tag[] | undefined {
  try {
    return parseTag(text);
  } catch (error) {
    if (isKilnError(error)) return undefined;
    throw error;
  }
}

/**
 * Formats one tag as `interpreter-abi-platform`.
 *
 * @example
 * formatTag({ interpreter: "cp314", abi: "abi3", platform: "any" }); // "cp314-abi3-any"
 */
export function formatTag(tag: Tag): string {
  return `${tag.interpreter}-${tag.abi}-${tag.platform}`;
}

/**
 * Formats tags as one compressed tag set, the inverse of {@link parseTag}. The tags must form a
 * full interpreter × ABI × platform product (every wheel's tags do); otherwise this throws a
 * `RangeError`.
 *
 * @example
 * formatTagSet(parseTag("py2.py3-none-any")); // "py2.py3-none-any"
 */
export function formatTagSet(tags: readonly Tag[]): string {
  const interpreters = unique(tags.map((tag) => tag.interpreter));
  const abis = unique(tags.map((tag) => tag.abi));
  const platforms = unique(tags.map((tag) => tag.platform));
  const text = `${interpreters.join(".")}-${abis.join(".")}-${platforms.join(".")}`;
  const expanded = tags.length === 0 ? undefined : tryParseTag(text);
  if (expanded === undefined || expanded.length !== tags.length || new Set(tags.map(formatTag)).size !== tags.length) {
    throw new RangeError(`Cannot format tags as one compressed tag set: ${tags.map(formatTag).join(", ") || "no tags"}`);
  }
  return text;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function invalidTag(text: string, problem: string): KilnError {
  const shown = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return new KilnError("invalidTag", `Cannot parse tag "${shown}": ${problem}`, {
    hint: "Tags look like cp314-cp314-pyemscripten_2026_0_wasm32 or py2.py3-none-any",
  });
}
