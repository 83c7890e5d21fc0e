import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { KilnError } from "../core/index.js";

/** What a pip requirements file (and the files it includes) asks for. */
export interface RequirementsInput {
  requirements: string[];
  constraints: string[];
  indexUrl?: string;
  extraIndexUrls: string[];
  pre: boolean;
  /** Normalized requirement line → the file that asked for it (`-r requirements.in`), for `# via`. */
  origins: Map<string, string>;
}

/** An empty {@link RequirementsInput}. */
export function emptyRequirementsInput(): RequirementsInput {
  return { requirements: [], constraints: [], extraIndexUrls: [], pre: false, origins: new Map() };
}

/**
 * Reads a pip requirements file the way pip does for the options kiln supports: comments,
 * `\` continuations, `-r`/`--requirement` and `-c`/`--constraint` (relative to the including
 * file), `-i`/`--index-url`, `--extra-index-url`, `--pre`; per-requirement `--hash` options are
 * dropped (kiln checks the index's hashes). Other options are refused with the file and line.
 *
 * @example
 * const input = emptyRequirementsInput();
 * await readRequirementsFile("requirements.in", input, { kind: "requirements", label: "-r requirements.in" });
 */
export async function readRequirementsFile(path: string, into: RequirementsInput, how: { kind: "requirements" | "constraints"; label: string }, depth = 0): Promise<void> {
  if (depth > 20) throw new KilnError("usage", `Cannot read ${path}: requirement files include each other too deeply`);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new KilnError("usage", `Cannot read requirements file "${path}": ${(error as Error).message}`, { cause: error });
  }
  const lines = logicalLines(text);
  for (const [number, line] of lines) {
    const where = `${path}:${number}`;
    const option = line.match(/^(-[rc]|--requirement|--constraint|-i|--index-url|--extra-index-url)(?:\s*=\s*|\s+)(.+)$/);
    if (option) {
      const [, flag, value] = option as unknown as [string, string, string];
      if (flag === "-r" || flag === "--requirement") await readRequirementsFile(resolve(dirname(path), value), into, { ...how, label: `-r ${value}` }, depth + 1);
      else if (flag === "-c" || flag === "--constraint") await readRequirementsFile(resolve(dirname(path), value), into, { kind: "constraints", label: `-c ${value}` }, depth + 1);
      else if (flag === "-i" || flag === "--index-url") into.indexUrl = value;
      else into.extraIndexUrls.push(value);
      continue;
    }
    if (line === "--pre") {
      into.pre = true;
      continue;
    }
    if (line.startsWith("-")) {
      throw new KilnError("usage", `Cannot read ${where}: kiln does not support the option "${line.split(/\s/)[0]}" in requirement files`, {
        hint: "Supported: -r, -c, -i/--index-url, --extra-index-url, --pre and --hash",
      });
    }
    const requirement = line.replace(/\s+--hash[=\s]\S+/g, "").trim();
    if (how.kind === "constraints") into.constraints.push(requirement);
    else {
      into.requirements.push(requirement);
      into.origins.set(requirement, how.label);
    }
  }
}

/** Joins `\` continuations and drops comments and blank lines; keeps each line's first line number. */
function logicalLines(text: string): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  let pending = "";
  let start = 0;
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    if (pending === "") start = index + 1;
    if (raw.endsWith("\\")) {
      pending += raw.slice(0, -1);
      return;
    }
    const line = (pending + raw).replace(/(^|\s)#.*$/, "").trim();
    pending = "";
    if (line) out.push([start, line]);
  });
  if (pending.trim()) out.push([start, pending.trim()]);
  return out;
}
