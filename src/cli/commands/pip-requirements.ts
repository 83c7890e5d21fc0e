import { statSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { KilnError } from "../../core/index.js";
import { emptyRequirementsFileContents, parseRequirementsFile, type RequirementsFileContents, type RequirementsFileEntry } from "../../lock/index.js";
import { normalizeName, parseRequirement, tryParseRequirement } from "../../pep508/index.js";
import { parseWheelFilename } from "../../wheel-name/index.js";
import type { CommandContext } from "../command.js";
import { readRequirementsLocation } from "../requirements-file.js";

/** What a `pip install` command line and its requirement files ask for. */
export interface PipRequirements {
  /** PEP 508 text; paths and URLs of wheels as `name @ URL`. */
  requirements: string[];
  constraints: string[];
  pre: boolean;
  /** The files' own index lines (`-i`, `--extra-index-url`, `-f`, `--no-index`). */
  contents: RequirementsFileContents;
  /** Hash-checking mode (pip's): normalized name → allowed `algorithm:hex`; undefined when off. */
  requiredHashes?: Map<string, string[]>;
}

const strings = (value: unknown): string[] => (value === undefined || value === false ? [] : Array.isArray(value) ? value.map(String) : [String(value)]);

/**
 * Gathers requirements from positionals (requirement strings, paths to wheels, URLs of wheels)
 * and `-r`/`-c` files (src/lock's pip-compatible parser: nested files, options lines, `--hash`).
 * Hash-checking mode is on with `--require-hashes` or when any requirement carries a `--hash`,
 * as in pip; then every requirement must be pinned with `==` or be a file with a hash.
 *
 * @example
 * const wanted = await readPipRequirements(context, ["pytest", "./dist/demo-1.0-py3-none-any.whl"]);
 */
export async function readPipRequirements(context: CommandContext, positionals: readonly string[]): Promise<PipRequirements> {
  const options = context.arguments.options;
  const contents = emptyRequirementsFileContents();
  for (const [flag, kind] of [["requirement", "requirements"], ["constraint", "constraints"]] as const) {
    for (const file of strings(options[flag])) {
      const location = /^https?:\/\//i.test(file) ? file : pathToFileURL(resolve(context.cwd, file)).href;
      await parseRequirementsFile(location, { read: readRequirementsLocation, env: context.env, kind, into: contents });
    }
  }
  const fromFiles = contents.requirements.map((entry) => entryRequirement(entry, context.cwd));
  const requirements = [...positionals.map((argument) => requirementFromArgument(argument, context.cwd)), ...fromFiles];
  const constraints = contents.constraints.map((entry) => entryRequirement(entry, context.cwd));
  const hashMode = options["require-hashes"] === true || contents.requireHashes || [...contents.requirements, ...contents.constraints].some((entry) => entry.hashes.length > 0);
  const result: PipRequirements = { requirements, constraints, pre: options.pre === true || contents.pre, contents };
  if (hashMode) result.requiredHashes = requiredHashes([...contents.requirements, ...contents.constraints], positionals);
  return result;
}

function requiredHashes(entries: readonly RequirementsFileEntry[], positionals: readonly string[]): Map<string, string[]> {
  if (positionals.length > 0) {
    throw new KilnError("hashRequired", `Cannot check hashes of ${positionals.join(", ")}: requirements given on the command line carry no --hash`, {
      hint: "In --require-hashes mode, list every requirement in a requirements file with its --hash lines",
    });
  }
  const hashes = new Map<string, string[]>();
  for (const entry of entries) {
    const requirement = entry.kind === "requirement" ? parseRequirement(entry.text) : undefined;
    const pinned = requirement?.specifier.specifiers.length === 1 && ["==", "==="].includes(requirement.specifier.specifiers[0]!.operator) && !requirement.specifier.toString().includes("*");
    if (requirement && requirement.url === undefined && !pinned) {
      throw new KilnError("hashRequired", `Cannot install ${entry.file}:${entry.line} "${entry.text}" in --require-hashes mode: it is not pinned with ==`, {
        hint: "Pin every requirement to one version (kiln pip compile writes such files)",
      });
    }
    if (entry.hashes.length === 0) continue;
    const name = requirement ? normalizeName(requirement.name) : normalizeName(parseWheelFilename(entry.text.split(/[/\\]/).pop()!.split("#")[0]!).name);
    hashes.set(name, [...(hashes.get(name) ?? []), ...entry.hashes.map((hash) => hash.toLowerCase())]);
  }
  return hashes;
}

function entryRequirement(entry: RequirementsFileEntry, cwd: string): string {
  if (entry.editable) {
    throw new KilnError("invalidRequirementsFile", `Cannot install ${entry.file}:${entry.line} "-e ${entry.text}": editable installs need a build step kiln does not run`, {
      hint: "Build a wheel of the project and install that",
    });
  }
  return entry.kind === "requirement" ? entry.text : requirementFromArgument(entry.text, cwd);
}

/**
 * A command-line argument as pip reads it: a URL or a path to a wheel becomes `name @ URL`
 * (the name from the wheel's file name); anything else must be a PEP 508 requirement.
 *
 * @example
 * requirementFromArgument("dist/demo-1.0-py3-none-any.whl", "/work"); // "demo @ file:///work/dist/demo-1.0-py3-none-any.whl"
 */
export function requirementFromArgument(argument: string, cwd: string): string {
  const isUrl = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(argument);
  const path = isUrl ? undefined : resolve(cwd, argument);
  const info = path ? statSync(path, { throwIfNoEntry: false }) : undefined;
  if (info?.isDirectory() && /[/\\]|^\./.test(argument)) {
    throw new KilnError("invalidRequirement", `Cannot install the directory ${argument}: kiln installs wheels and does not build projects here`, {
      hint: "Build a wheel first (python -m build, or kiln build) and install the .whl file",
    });
  }
  if (!isUrl && !info?.isFile()) {
    if (tryParseRequirement(argument) !== undefined) return argument;
    if (/[/\\]/.test(argument) || argument.endsWith(".whl")) throw new KilnError("invalidRequirement", `Cannot install ${argument}: no such file`, { hint: "Check the path" });
    return argument;
  }
  const url = isUrl ? argument : pathToFileURL(path!).href;
  const filename = decodeURIComponent(new URL(url).pathname.split("/").pop() ?? "");
  if (!filename.endsWith(".whl")) {
    throw new KilnError("invalidRequirement", `Cannot install ${argument}: it is not a wheel (.whl)`, {
      hint: "kiln installs wheels only; build the project into a wheel first",
    });
  }
  return `${parseWheelFilename(filename).name} @ ${url}`;
}
