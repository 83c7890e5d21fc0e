import { readFileSync } from "node:fs";
import { isAbsolute, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { KilnError, isKilnError } from "../core/index.js";
import { HttpStatusError, defaultIdleTimeoutMs, fetchHttpClient, readBody, requireProgress, withRetries } from "../index/index.js";
import { emptyRequirementsFileContents, parseRequirementsFile, type RequirementsFileContents, type RequirementsFileEntry } from "../lock/index.js";
import { loadIndexSettings } from "../platform/node.js";

/** A requirements file larger than this is not one (a wrong URL, or a hostile server). */
const maxRequirementsBytes = 16 * 1024 * 1024;

/** What the resolving commands take from requirement files and positional requirements. */
export interface RequirementsInput {
  /** Everything the files said, as parsed. */
  contents: RequirementsFileContents;
  /** PEP 508 requirements to resolve (positionals, then the files'). */
  requirements: string[];
  constraints: string[];
  pre: boolean;
  /** Requirement text → where it was asked for (`-r requirements.in`), for `# via`. */
  origins: Map<string, string>;
}

/** An empty {@link RequirementsInput}. */
export function emptyRequirementsInput(): RequirementsInput {
  return { contents: emptyRequirementsFileContents(), requirements: [], constraints: [], pre: false, origins: new Map() };
}

/** Options for {@link readRequirementsFile}. */
export interface ReadRequirementsFileOptions {
  kind: "requirements" | "constraints";
  cwd: string;
  env: Record<string, string | undefined>;
  /** The command's `--timeout` (seconds), for a remote file. */
  timeout?: string;
}

/**
 * Reads a pip requirements file (and what it includes) from disk or an http(s) URL into
 * `into`, with src/lock's parser. kiln resolves named requirements only: editables, paths and
 * direct URLs are refused with the file and line, and so is `--no-binary` (kiln installs wheels).
 *
 * @example
 * await readRequirementsFile("requirements.in", input, { kind: "requirements", cwd: process.cwd(), env: process.env });
 */
export async function readRequirementsFile(path: string, into: RequirementsInput, options: ReadRequirementsFileOptions): Promise<void> {
  const location = /^https?:\/\//i.test(path) ? path : pathToFileURL(path).href;
  const before = { requirements: into.contents.requirements.length, constraints: into.contents.constraints.length };
  await parseRequirementsFile(location, { read: requirementsReader(options), env: options.env, kind: options.kind, into: into.contents });
  const refused = into.contents.noBinary.find((value) => value !== ":none:");
  if (refused !== undefined) {
    throw new KilnError("invalidRequirementsFile", `Cannot honour --no-binary ${refused} in ${path}: kiln installs wheels only and builds no source distributions`, {
      hint: "Remove --no-binary from the requirements file",
    });
  }
  for (const entry of into.contents.requirements.slice(before.requirements)) {
    const text = namedRequirement(entry);
    into.requirements.push(text);
    into.origins.set(text, `-r ${display(entry.file, options.cwd)}`);
  }
  for (const entry of into.contents.constraints.slice(before.constraints)) into.constraints.push(namedRequirement(entry));
  if (into.contents.pre) into.pre = true;
}

function namedRequirement(entry: RequirementsFileEntry): string {
  if (entry.kind === "requirement" && !entry.editable) return entry.text;
  const what = entry.editable ? "an editable requirement" : entry.kind === "path" ? "a local path" : "a direct URL";
  throw new KilnError("invalidRequirementsFile", `Cannot resolve ${entry.file}:${entry.line}: "${entry.text}" is ${what}`, {
    hint: "kiln lock resolves named requirements from an index; publish the project to an index or a --find-links directory and require it by name",
  });
}

/** A file below the working directory by its relative path, anything else by its full path. */
function display(location: string, cwd: string): string {
  if (!isAbsolute(location)) return location;
  const inside = relative(cwd, location);
  return inside && !inside.startsWith("..") && !isAbsolute(inside) ? inside : location;
}

/**
 * How a command reads `-r`/`-c` locations: with {@link readRequirementsLocation}, a remote file
 * given up on after the timeout of the user's index settings (`--timeout`, `PIP_TIMEOUT`,
 * `UV_HTTP_TIMEOUT`, pip.conf; an invalid one refused as everywhere), which are read at the first
 * remote file only.
 *
 * @example
 * await parseRequirementsFile(location, { read: requirementsReader({ env, cwd, timeout: "60" }), env, kind: "requirements", into });
 */
export function requirementsReader(options: { env: Record<string, string | undefined>; cwd: string; timeout?: string }): (location: string) => Promise<string> {
  let timeoutMs: Promise<number | undefined> | undefined;
  return async (location) => {
    if (location.startsWith("file:")) return readRequirementsLocation(location);
    const flags = options.timeout === undefined ? {} : { timeout: options.timeout };
    timeoutMs ??= loadIndexSettings({ env: options.env, cwd: options.cwd, flags }).then((settings) => settings.timeoutMs);
    const given = await timeoutMs;
    return readRequirementsLocation(location, given === undefined ? {} : { timeoutMs: given });
  };
}

/**
 * Reads a requirements file named by a `file:` URL or an http(s) URL, as `-r`/`-c` allow. A
 * remote one is fetched as index pages are: retried, and given up on when no progress is made
 * for `timeoutMs` (the index settings' timeout, see {@link requirementsReader}), so a stalling or trickling server
 * cannot hold the command forever.
 *
 * @example
 * const text = await readRequirementsLocation(pathToFileURL("requirements.txt").href);
 */
export async function readRequirementsLocation(location: string, options: { timeoutMs?: number } = {}): Promise<string> {
  try {
    // Synchronously: a requirements file is small, and a thread-pool round trip costs more than the read.
    if (location.startsWith("file:")) return readFileSync(fileURLToPath(location), "utf8");
    const timeoutMs = options.timeoutMs ?? defaultIdleTimeoutMs;
    const bytes = await withRetries(async () => {
      const response = await fetchHttpClient().request({ url: location, idleTimeoutMs: timeoutMs });
      if (response.status !== 200) throw HttpStatusError.from(response);
      return readBody(requireProgress(response, timeoutMs), { maxBytes: maxRequirementsBytes });
    });
    return new TextDecoder().decode(bytes);
  } catch (error) {
    const shown = location.startsWith("file:") ? fileURLToPath(location) : location;
    throw new KilnError("invalidRequirementsFile", `Cannot read requirements file "${shown}": ${(error as Error).message}`, {
      cause: error,
      hint: isKilnError(error) && error.hint ? error.hint : "Check the path given to -r/-c or in the including file",
    });
  }
}
