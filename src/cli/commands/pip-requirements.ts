import { statSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { KilnError } from "../../core/index.js";
import { tryParseRequirement } from "../../pep508/index.js";
import { parseWheelFilename } from "../../wheel-name/index.js";
import { emptyRequirementsInput, readRequirementsFile } from "../requirements-file.js";
import type { CommandContext } from "../command.js";
import type { FileIndexOptions } from "./pip-index.js";

/** What a `pip install` command line and its requirement files ask for. */
export interface PipRequirements {
  /** PEP 508 text; paths and URLs of wheels as `name @ URL`. */
  requirements: string[];
  constraints: string[];
  pre: boolean;
  index: FileIndexOptions;
}

const strings = (value: unknown): string[] => (value === undefined || value === false ? [] : Array.isArray(value) ? value.map(String) : [String(value)]);

/**
 * Gathers requirements from positionals (requirement strings, paths to wheels, URLs of wheels)
 * and `-r`/`-c` files.
 *
 * @example
 * const wanted = await readPipRequirements(context, ["pytest", "./dist/demo-1.0-py3-none-any.whl"]);
 */
export async function readPipRequirements(context: CommandContext, positionals: readonly string[]): Promise<PipRequirements> {
  const options = context.arguments.options;
  const input = emptyRequirementsInput();
  for (const file of strings(options.requirement)) await readRequirementsFile(resolve(context.cwd, file), input, { kind: "requirements", label: `-r ${file}` });
  for (const file of strings(options.constraint)) await readRequirementsFile(resolve(context.cwd, file), input, { kind: "constraints", label: `-c ${file}` });
  const requirements = [...positionals.map((argument) => requirementFromArgument(argument, context.cwd)), ...input.requirements];
  return {
    requirements,
    constraints: input.constraints,
    pre: options.pre === true || input.pre,
    index: { ...(input.indexUrl ? { indexUrl: input.indexUrl } : {}), extraIndexUrls: input.extraIndexUrls },
  };
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
