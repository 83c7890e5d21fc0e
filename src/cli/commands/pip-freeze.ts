import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { KilnError } from "../../core/index.js";
import { readDirectUrl, readInstalledWithMetadata, type InstallFileSystem } from "../../installer/index.js";
import { normalizeName, tryParseRequirement } from "../../pep508/index.js";
import { tryParseWheelFilename } from "../../wheel-name/index.js";
import { defineCommand } from "../command.js";
import { compareCodePoints, directReference, editableLocationOf, pinnedRequirement } from "./pip-installed-details.js";
import { openPipEnvironment, pipCommonOptions } from "./pip-environment.js";

/**
 * Left out of `pip freeze` unless `--all`: pip itself, and on Pythons before 3.12 (where venvs
 * still came with them) the build backends, as pip decides by the environment's Python.
 */
function packagingTools(pythonVersion: string): Set<string> {
  const [major = 0, minor = 0] = pythonVersion.split(".").map(Number);
  return new Set(major === 3 && minor < 12 ? ["pip", "setuptools", "wheel", "distribute"] : ["pip"]);
}

/** `kiln pip freeze`: installed distributions as requirements (`name==version`, `name @ URL`, or `-e DIR` for editable installs). */
export const pipFreezeCommand = defineCommand({
  name: "freeze",
  summary: "Print installed packages in requirements format",
  options: [
    { name: "requirement", short: "r", type: "string", multiple: true, valueName: "FILE", description: "Write the installed packages in the order and with the comments of this requirements file, then the rest" },
    { name: "all", type: "boolean", description: "Include pip (and, before Python 3.12, setuptools, wheel and distribute)" },
    { name: "exclude", type: "string", multiple: true, valueName: "NAME", description: "Leave this package out (may repeat)" },
    { name: "exclude-editable", type: "boolean", description: "Leave editable projects out" },
    { name: "local", short: "l", type: "boolean", description: "Accepted for pip compatibility: a venv holds only its own packages" },
    ...pipCommonOptions,
  ],
  run: async (context) => {
    const options = context.arguments.options;
    const { scheme, fs, target } = await openPipEnvironment(context);
    const skipped = options.all === true ? new Set<string>() : packagingTools(target.pythonVersion);
    for (const name of Array.isArray(options.exclude) ? options.exclude.map(String) : []) skipped.add(normalizeName(name));
    const frozen = new Map<string, FrozenLine>();
    for (const dist of await readInstalledWithMetadata(scheme, fs, { record: false })) {
      const line = await frozenLine(fs, dist);
      if (line.editable && options["exclude-editable"] === true) continue;
      frozen.set(normalizeName(dist.name), line);
    }
    const files = Array.isArray(options.requirement) ? options.requirement.map(String) : [];
    if (files.length) {
      for (const line of freezeInFileOrder(files, frozen, { cwd: context.cwd, warn: (message) => context.output.warn(message) })) context.output.line(line);
      context.output.line("## The following requirements were added by pip freeze:");
    }
    // pip's order: by the name as installed, lower-cased.
    const rest = [...frozen.entries()].sort(([, a], [, b]) => compareCodePoints(a.name.toLowerCase(), b.name.toLowerCase()));
    for (const [name, line] of rest) if (!skipped.has(name)) context.output.line(line.text);
    return 0;
  },
});

/** One installed distribution as freeze writes it. */
interface FrozenLine {
  name: string;
  text: string;
  editable: boolean;
}

async function frozenLine(fs: InstallFileSystem, dist: { name: string; version: string; distInfo: string }): Promise<FrozenLine> {
  const direct = await readDirectUrl(fs, dist.distInfo);
  const editable = editableLocationOf(direct);
  // pip's lines for a PEP 660 editable install of a directory that is not a VCS checkout.
  if (editable !== undefined) return { name: dist.name, editable: true, text: `# Editable install with no version control (${dist.name}==${dist.version})\n-e ${editable}` };
  return { name: dist.name, editable: false, text: direct ? directReference(direct, dist.name) : pinnedRequirement(dist.name, dist.version) };
}

/** Option lines pip copies from the requirements file into freeze's output (once each). */
const copiedOptions = ["-r", "--requirement", "-f", "--find-links", "-i", "--index-url", "--pre", "--trusted-host", "--process-dependency-links", "--extra-index-url", "--use-feature"];

/**
 * pip's `freeze -r FILE`: the file's comments, blank lines and index options as they are, each
 * requirement replaced by the installed distribution's line (taken out of `frozen`, so the rest
 * follows after), a warning for one that is not installed or is named twice.
 */
function* freezeInFileOrder(files: readonly string[], frozen: Map<string, FrozenLine>, context: { cwd: string; warn: (message: string) => void }): Generator<string> {
  const emitted = new Set<string>();
  const seenIn = new Map<string, string[]>();
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(resolve(context.cwd, file), "utf8");
    } catch (error) {
      throw new KilnError("invalidRequirementsFile", `Cannot read requirements file "${file}": ${(error as Error).message}`, { hint: "Check the path given to -r" });
    }
    for (const raw of fileLines(text)) {
      if (raw.trim() === "" || raw.trim().startsWith("#") || copiedOptions.some((option) => raw.startsWith(option))) {
        const line = raw.trimEnd();
        if (!emitted.has(line)) {
          emitted.add(line);
          yield line;
        }
        continue;
      }
      const written = raw.replace(/(^|\s+)#.*$/, "").trim();
      const name = requirementName(written);
      if (name === undefined) {
        context.warn(`Skipping line in requirement file [${file}] because it's not clear what it would install: ${raw.trim()}`);
        continue;
      }
      const key = normalizeName(name);
      // Counted by the name as written, as pip counts them.
      const files = seenIn.get(name) ?? [];
      const line = frozen.get(key);
      if (line === undefined) {
        if (files.length === 0) context.warn(`Requirement file [${file}] contains ${written}, but package '${name}' is not installed`);
        else files.push(file);
      } else {
        yield line.text;
        frozen.delete(key);
        files.push(file);
      }
      seenIn.set(name, files);
    }
  }
  for (const [name, where] of seenIn) if (where.length > 1) context.warn(`Requirement ${name} included multiple times [${[...new Set(where)].sort().join(", ")}]`);
}

/**
 * A requirements file's lines as Python iterates them (no empty line after the last newline),
 * with a requirement continued over `\` line ends (its `--hash` lines) joined into one, as an
 * install reads it; pip's freeze chokes on such a line, kiln keeps the requirement.
 */
function fileLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === "") lines.pop();
  const joined: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    let line = lines[index]!;
    while (/\\\s*$/.test(line) && !line.trim().startsWith("#") && index + 1 < lines.length) line = `${line.replace(/\\\s*$/, "")} ${lines[++index]!.trim()}`;
    joined.push(line);
  }
  return joined;
}

/** The project a requirement line names: a PEP 508 requirement (options after it aside), `-e`'s or a wheel's. */
function requirementName(line: string): string | undefined {
  const editable = /^(?:-e|--editable)[\s=]+(.+)$/.exec(line);
  const text = (editable ? editable[1]! : line).split(/\s+--?[A-Za-z]/)[0]!.trim();
  const requirement = tryParseRequirement(text);
  if (requirement) return requirement.name;
  const file = text.split(/[/\\]/).pop()!.split("#")[0]!;
  const wheel = file.endsWith(".whl") ? tryParseWheelFilename(file) : undefined;
  return wheel?.name;
}
