import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { KilnError } from "../../core/index.js";
import { findInstalled, uninstallDistribution, type InstalledDistribution } from "../../installer/index.js";
import { emptyRequirementsFileContents, parseRequirementsFile } from "../../lock/index.js";
import { tryParseRequirement } from "../../pep508/index.js";
import { tryParseWheelFilename } from "../../wheel-name/index.js";
import { readRequirementsLocation } from "../requirements-file.js";
import { defineCommand, type CommandContext } from "../command.js";
import { openPipEnvironment, pipCommonOptions, quietness } from "./pip-environment.js";
import { pipReporter } from "./pip-reporter.js";
import { promptReader, type PromptReader } from "./prompt-reader.js";

/** `kiln pip uninstall`: remove distributions (RECORD-driven, one transaction each). */
export const pipUninstallCommand = defineCommand({
  name: "uninstall",
  summary: "Uninstall packages from a WASM virtual environment",
  usage: "[-y] NAME... | -r FILE",
  positionals: [{ name: "names", description: "Distribution names (requirement strings are accepted; only the name counts)", variadic: true }],
  options: [
    { name: "requirement", short: "r", type: "string", multiple: true, valueName: "FILE", description: "Uninstall what a requirements file names" },
    { name: "yes", short: "y", type: "boolean", description: "Do not ask for confirmation" },
    ...pipCommonOptions,
  ],
  run: async (context) => {
    const options = context.arguments.options;
    const level = quietness(context);
    const reporter = pipReporter(context.output, { quietness: level, env: context.env });
    const { scheme, fs } = await openPipEnvironment(context);
    const contents = emptyRequirementsFileContents();
    const files = Array.isArray(options.requirement) ? options.requirement.map(String) : [];
    for (const file of files) {
      const location = /^https?:\/\//i.test(file) ? file : pathToFileURL(resolve(context.cwd, file)).href;
      await parseRequirementsFile(location, { read: readRequirementsLocation, env: context.env, kind: "requirements", into: contents });
    }
    const names = [
      ...((context.arguments.positionals.names as string[] | undefined) ?? []).map((text) => uninstallName(text, text)),
      ...contents.requirements.map((entry) => uninstallName(entry.text, `${entry.file}:${entry.line} "${entry.editable ? "-e " : ""}${entry.text}"`)),
    ];
    if (names.length === 0) throw new KilnError("usage", "Nothing to uninstall: give names or -r FILE", { hint: "kiln pip uninstall -y pytest" });
    const say = (line: string) => level <= 0 && context.output.line(line);
    // Opened at the first question: stdin is left alone when nothing needs asking.
    let prompt: PromptReader | undefined;
    const answers = () => (prompt ??= promptReader(context.stdin ?? process.stdin));
    try {
      for (const name of names) {
        const found = await findInstalled(name, scheme, fs);
        if (found.length === 0) {
          reporter.warn(`Skipping ${name} as it is not installed.`);
          continue;
        }
        for (const dist of found) {
          say(`Found existing installation: ${dist.name} ${dist.version}`);
          say(`Uninstalling ${dist.name}-${dist.version}:`);
        }
        if (options.yes !== true && !(await confirmRemoval(context, found, answers))) continue;
        for (const removed of await uninstallDistribution(name, { scheme, fs, reporter })) {
          say(`  Successfully uninstalled ${removed.name}-${removed.version}`);
        }
      }
    } finally {
      prompt?.close();
    }
    return 0;
  },
});

/**
 * The project an uninstall argument or requirements line names, as pip reads it: a requirement
 * (`pytest`, `pytest>=8`, `name @ URL`), or the path or URL of a wheel (its file name's project).
 */
function uninstallName(text: string, where: string): string {
  const requirement = tryParseRequirement(text);
  if (requirement) return requirement.name;
  const file = text.split("#")[0]!.split(/[/\\]/).pop()!;
  const wheel = file.endsWith(".whl") ? tryParseWheelFilename(decodeURIComponent(file)) : undefined;
  if (wheel) return wheel.name;
  throw new KilnError("invalidRequirement", `Cannot uninstall ${where}: it names no project (give a name, a requirement, or the path or URL of a wheel)`, {
    hint: "kiln pip uninstall -y NAME",
  });
}

/**
 * pip's question before removing without -y: the files to go, then "Proceed (Y/n)?", read from
 * stdin whether or not it is a terminal (so `echo n | kiln pip uninstall x` keeps x, as with
 * pip). Stdin that ends without an answer refuses, as does --no-input or PIP_NO_INPUT.
 */
async function confirmRemoval(context: CommandContext, found: readonly InstalledDistribution[], answers: () => PromptReader): Promise<boolean> {
  const question = "Proceed (Y/n)? ";
  const name = `${found[0]!.name}-${found[0]!.version}`;
  const noInput = context.arguments.options["no-input"] === true || ["1", "true", "yes", "on"].includes((context.env.PIP_NO_INPUT ?? "").toLowerCase());
  if (noInput) {
    throw new KilnError("usage", `Cannot ask whether to uninstall ${name}: --no-input (or PIP_NO_INPUT) is set`, { hint: "Pass -y to uninstall without asking" });
  }
  context.output.line("  Would remove:");
  for (const path of wouldRemove(found)) context.output.line(`    ${path}`);
  for (;;) {
    context.output.stdout.write(question);
    const answer = await answers().next();
    if (answer === undefined) {
      context.output.stdout.write("\n");
      throw new KilnError("usage", `Cannot uninstall ${name}: stdin ended before an answer to "${question.trim()}"`, { hint: "Pass -y to uninstall without asking" });
    }
    const reply = answer.trim().toLowerCase();
    if (reply === "" || reply === "y" || reply === "yes") return true;
    if (reply === "n" || reply === "no") return false;
    context.output.line(`Your response ('${answer.trim()}') was not one of the expected responses: y, n, `);
  }
}

/**
 * pip's summary of what an uninstall removes (`compress_for_output_listing`, then `compact`): a
 * package directory (one with `__init__.py`) and `.dist-info` as `dir/*`, other files by path,
 * bytecode left out.
 */
function wouldRemove(found: readonly InstalledDistribution[]): string[] {
  const files = new Set<string>();
  const folders = new Set<string>();
  for (const dist of found) {
    const site = dist.distInfo.slice(0, dist.distInfo.lastIndexOf("/"));
    for (const row of dist.files ?? []) {
      const path = resolve(site, row.path);
      if (path.endsWith(".pyc")) continue;
      if (path.endsWith("__init__.py") || path.includes(".dist-info")) folders.add(dirname(path));
      files.add(path);
    }
  }
  return compact([...files, ...[...folders].map((folder) => `${folder}/*`)]).sort();
}

/** The paths not inside another of them (`dir/*` counts as `dir`). */
function compact(paths: string[]): string[] {
  const kept: string[] = [];
  const prefixes = new Set<string>();
  for (const path of [...paths].sort((a, b) => a.length - b.length)) {
    const current = path.endsWith("/*") ? path.slice(0, -2) : path;
    let inside = false;
    for (let parent = current; parent && parent !== "/"; parent = dirname(parent)) {
      if (prefixes.has(parent)) {
        inside = true;
        break;
      }
    }
    if (inside) continue;
    kept.push(path);
    prefixes.add(current);
  }
  return kept;
}
