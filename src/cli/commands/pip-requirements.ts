import { statSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { KilnError } from "../../core/index.js";
import { urlFileName } from "../../index/index.js";
import { emptyRequirementsFileContents, parseRequirementsFile, type RequirementsFileContents, type RequirementsFileEntry } from "../../lock/index.js";
import { formatMarker, normalizeName, parseRequirement, tryParseRequirement } from "../../pep508/index.js";
import { parseWheelFilename } from "../../wheel-name/index.js";
import type { CommandContext } from "../command.js";
import { requirementsReader } from "../requirements-file.js";

/** What a `pip install` command line and its requirement files ask for. */
export interface PipRequirements {
  /** PEP 508 text; paths and URLs of wheels as `name @ URL`. */
  requirements: string[];
  /** Project directories and sdists to build first (`./project`, `-e ./project`, `name @ file:///…/x.tar.gz`). */
  local: LocalRequirement[];
  constraints: string[];
  pre: boolean;
  /** The files' own index lines (`-i`, `--extra-index-url`, `-f`, `--no-index`). */
  contents: RequirementsFileContents;
  /** Hash-checking mode (pip's): normalized name → allowed `algorithm:hex`; undefined when off. */
  requiredHashes?: Map<string, string[]>;
}

/** A project directory or an sdist that `pip install` builds into a wheel before installing it. */
export interface LocalRequirement {
  /** As the user wrote it, for messages. */
  text: string;
  kind: "directory" | "sdist";
  /** An absolute path, or the http(s) URL of an sdist. */
  location: string;
  /** `-e`: PEP 660 editable install (directories only). */
  editable: boolean;
  /** The name of `name @ URL`, checked against what the build produces. */
  name?: string;
  extras: string[];
  /** The marker of `name @ URL ; marker`, as written. */
  marker?: string;
}

const sdistSuffix = /\.(tar\.gz|tgz|zip|tar\.bz2|tar\.xz|tar)$/i;

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
  const read = requirementsReader({ env: context.env, cwd: context.cwd, ...(typeof options.timeout === "string" ? { timeout: options.timeout } : {}) });
  for (const [flag, kind] of [["requirement", "requirements"], ["constraint", "constraints"]] as const) {
    for (const file of strings(options[flag])) {
      const location = /^https?:\/\//i.test(file) ? file : pathToFileURL(resolve(context.cwd, file)).href;
      await parseRequirementsFile(location, { read, env: context.env, kind, into: contents });
    }
  }
  const local: LocalRequirement[] = strings(options.editable).map((argument) => editableArgument(argument, context.cwd));
  const requirements: string[] = [];
  const add = (item: string | LocalRequirement) => (typeof item === "string" ? requirements.push(item) : local.push(item));
  for (const argument of positionals) add(localArgument(argument, context.cwd, false) ?? requirementFromArgument(argument, context.cwd));
  for (const entry of contents.requirements) add(entryRequirement(entry, context.cwd));
  const constraints = contents.constraints.map((entry) => entryRequirement(entry, context.cwd)).filter((item): item is string => typeof item === "string");
  const hashMode = options["require-hashes"] === true || contents.requireHashes || [...contents.requirements, ...contents.constraints].some((entry) => entry.hashes.length > 0);
  const result: PipRequirements = { requirements, local, constraints, pre: options.pre === true || contents.pre, contents };
  if (hashMode) result.requiredHashes = requiredHashes([...contents.requirements, ...contents.constraints], positionals);
  return result;
}

/**
 * Refuses project directories and sdists in a command that does not build them.
 *
 * @example
 * refuseLocalBuilds(wanted, "kiln pip download");
 */
export function refuseLocalBuilds(wanted: PipRequirements, command: string): void {
  const first = wanted.local[0];
  if (first === undefined) return;
  throw new KilnError("usage", `Cannot use "${first.text}" with ${command}: it is a ${first.kind === "directory" ? "project directory" : "source distribution"}, which ${command} does not build`, {
    hint: "Build a wheel with kiln build and give its path, or use kiln pip install",
  });
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

function entryRequirement(entry: RequirementsFileEntry, cwd: string): string | LocalRequirement {
  if (entry.editable) {
    const local = localArgument(entry.text, cwd, true);
    if (local?.kind === "directory") return local;
    throw new KilnError("invalidRequirementsFile", `Cannot install ${entry.file}:${entry.line} "-e ${entry.text}": it is not a local project directory`, {
      hint: "kiln installs editable projects from a directory with pyproject.toml or setup.py; version-control URLs are not supported",
    });
  }
  return localArgument(entry.text, cwd, false) ?? (entry.kind === "requirement" ? entry.text : requirementFromArgument(entry.text, cwd));
}

function editableArgument(argument: string, cwd: string): LocalRequirement {
  const local = localArgument(argument, cwd, true);
  if (local?.kind === "directory") return local;
  throw new KilnError("invalidRequirement", `Cannot install "${argument}" in editable mode: it is not a local project directory`, {
    hint: "Give -e the path of a directory with pyproject.toml or setup.py (kiln does not install from version-control URLs)",
  });
}

/**
 * A path or URL to build, as pip reads it: a directory (`./project`, `./project[test]`), a local
 * sdist (`./dist/x-1.0.tar.gz`), an http(s) URL of an sdist, or `name[extras] @ URL` naming one of
 * those. Undefined for anything else (requirements, wheels).
 *
 * @example
 * localArgument("./demo[test]", "/work", false); // { kind: "directory", location: "/work/demo", extras: ["test"], … }
 */
export function localArgument(argument: string, cwd: string, editable: boolean): LocalRequirement | undefined {
  const named = /^[A-Za-z0-9]/.test(argument) && argument.includes("@") ? tryParseRequirement(argument) : undefined;
  if (named?.url !== undefined) {
    const local = localLocation(named.url, cwd);
    if (!local) return undefined;
    return { text: argument, ...local, editable, name: named.name, extras: named.extras, ...(named.marker ? { marker: formatMarker(named.marker) } : {}) };
  }
  const direct = localLocation(argument, cwd);
  if (direct) return { text: argument, ...direct, editable, extras: [] };
  const withExtras = /^(.+?)\[([A-Za-z0-9._\-, ]*)\]$/.exec(argument);
  const base = withExtras ? localLocation(withExtras[1]!, cwd) : undefined;
  if (!withExtras || !base) return undefined;
  const extras = withExtras[2]!.split(",").map((extra) => extra.trim()).filter(Boolean);
  return { text: argument, ...base, editable, extras };
}

function localLocation(location: string, cwd: string): Pick<LocalRequirement, "kind" | "location"> | undefined {
  if (/^https?:\/\//i.test(location)) {
    return sdistSuffix.test(new URL(location).pathname) ? { kind: "sdist", location } : undefined;
  }
  const isFileUrl = /^file:/i.test(location);
  if (!isFileUrl && /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(location)) return undefined;
  // A plain word (`name==1.0`: every line of a lock) can be neither below: not a directory
  // without a separator or leading dot, not an sdist without the suffix. No stat for it.
  if (!isFileUrl && !/[/\\]|^\./.test(location) && !sdistSuffix.test(location)) return undefined;
  const path = isFileUrl ? fileURLToPath(location) : resolve(cwd, location);
  const info = statSync(path, { throwIfNoEntry: false });
  if (info?.isDirectory() && (isFileUrl || /[/\\]|^\./.test(location))) return { kind: "directory", location: path };
  if (info?.isFile() && sdistSuffix.test(path)) return { kind: "sdist", location: path };
  return undefined;
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
  if (!isUrl && !info?.isFile()) {
    if (tryParseRequirement(argument) !== undefined) return argument;
    if (/[/\\]/.test(argument) || argument.endsWith(".whl")) {
      throw new KilnError("invalidRequirement", `Cannot install ${argument}: ${info ? "it is not a regular file" : "no such file"}`, { hint: "Check the path" });
    }
    return argument;
  }
  const url = isUrl ? argument : pathToFileURL(path!).href;
  const filename = urlFileName(new URL(url));
  if (filename === undefined) {
    throw new KilnError("invalidRequirement", `Cannot install ${argument}: it does not end in a plain file name`, {
      hint: "Check the URL's last segment: a malformed %-escape or an escaped / cannot name a wheel",
    });
  }
  if (!filename.endsWith(".whl")) {
    throw new KilnError("invalidRequirement", `Cannot install ${argument}: it is not a wheel (.whl), an sdist (.tar.gz, .zip) or a project directory`, {
      hint: "Give a requirement, a path to a wheel or sdist, or a project directory",
    });
  }
  return `${parseWheelFilename(filename).name} @ ${url}`;
}
