import { resolve } from "node:path";
import { KilnError } from "../../core/index.js";
import { findInstalled, uninstallDistribution } from "../../installer/index.js";
import { parseRequirement } from "../../pep508/index.js";
import { emptyRequirementsInput, readRequirementsFile } from "../requirements-file.js";
import { defineCommand } from "../command.js";
import { openPipEnvironment, pipCommonOptions, quietness } from "./pip-environment.js";
import { pipReporter } from "./pip-reporter.js";

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
    const input = emptyRequirementsInput();
    const files = Array.isArray(options.requirement) ? options.requirement.map(String) : [];
    for (const file of files) await readRequirementsFile(resolve(context.cwd, file), input, { kind: "requirements", cwd: context.cwd, env: context.env });
    const texts = [...((context.arguments.positionals.names as string[] | undefined) ?? []), ...input.requirements];
    if (texts.length === 0) throw new KilnError("usage", "Nothing to uninstall: give names or -r FILE", { hint: "kiln pip uninstall -y pytest" });
    const say = (line: string) => level <= 0 && context.output.line(line);
    for (const text of texts) {
      const name = parseRequirement(text).name;
      const found = await findInstalled(name, scheme, fs);
      if (found.length === 0) {
        reporter.warn(`Skipping ${name} as it is not installed.`);
        continue;
      }
      for (const dist of found) say(`Found existing installation: ${dist.name} ${dist.version}`);
      if (options.yes !== true && process.stdin.isTTY && !(await confirm(`Proceed (Y/n)? `))) continue;
      for (const removed of await uninstallDistribution(name, { scheme, fs, reporter })) {
        say(`  Successfully uninstalled ${removed.name}-${removed.version}`);
      }
    }
    return 0;
  },
});

async function confirm(question: string): Promise<boolean> {
  // Loaded here: every pip command shares this module's chunk, and only this prompt reads a line.
  const { createInterface } = await import("node:readline/promises");
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await prompt.question(question)).trim().toLowerCase();
    return answer === "" || answer === "y" || answer === "yes";
  } finally {
    prompt.close();
  }
}
