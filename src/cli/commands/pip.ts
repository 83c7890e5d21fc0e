import { resolve } from "node:path";
import { defineCommand, jsonOption, type CommandDefinition } from "../command.js";
import { applyPipEnvironmentOptions } from "./pip-environment-options.js";
import { readPreferences, resolveOptions } from "../resolve-settings.js";
import { formatLock, writeOutput } from "./lock.js";
import { pipCheckCommand } from "./pip-check.js";
import { pipDownloadCommand } from "./pip-download.js";
import { pipSyncCommand } from "./pip-sync.js";
import { pipFreezeCommand } from "./pip-freeze.js";
import { runPipGlobalOptions } from "./pip-global-options.js";
import { pipInstallCommand } from "./pip-install.js";
import { pipListCommand } from "./pip-list.js";
import { pipShowCommand } from "./pip-show.js";
import { pipUninstallCommand } from "./pip-uninstall.js";
import { resolutionJson, runResolution } from "./run-resolution.js";

const compileCommand = defineCommand({
  name: "compile",
  summary: "Pin requirements for the WASM runtime, with hashes (like pip-compile)",
  description:
    "Resolves requirements.in for the target runtime and writes pinned requirements with --hash lines and # via comments. " +
    "Pins already in the output file are kept when they still fit.",
  usage: "[REQUIREMENTS_FILES...] [-o FILE]",
  positionals: [{ name: "files", description: "Requirement files (requirements.in)", variadic: true }],
  options: [
    { name: "output-file", short: "o", type: "string", valueName: "FILE", description: "Where to write (default stdout)" },
    ...resolveOptions,
    jsonOption,
  ],
  run: async (context) => {
    const files = (context.arguments.positionals.files as string[] | undefined) ?? [];
    const options = context.arguments.options;
    const existing = options.requirement === undefined ? [] : Array.isArray(options.requirement) ? options.requirement.map(String) : [String(options.requirement)];
    options.requirement = [...files, ...existing];
    const output = typeof options["output-file"] === "string" ? options["output-file"] : "-";
    const preferences = output === "-" ? new Map<string, string>() : await readPreferences(resolve(context.cwd, output), "requirements");
    const resolved = await runResolution(context, [], preferences);
    const command = ["kiln pip compile", ...files, ...(output === "-" ? [] : ["-o", output])].join(" ");
    await writeOutput(context, output, await formatLock(resolved, "requirements", command));
    if (options.json) context.output.json(resolutionJson(resolved, output));
    return 0;
  },
});

/** A pip subcommand that first takes unset options from pip's environment variables (applyPipEnvironmentOptions). */
function withPipEnvironmentOptions(command: CommandDefinition): CommandDefinition {
  const run = command.run;
  if (!run) return command;
  return {
    ...command,
    run: (context) => {
      applyPipEnvironmentOptions(context, command);
      return run(context);
    },
  };
}

/** `kiln pip …`: pip-compatible commands for the WASM platform. */
export const pipCommand = defineCommand({
  name: "pip",
  summary: "pip for the WASM runtime: install, uninstall, list, freeze, show, check, download, sync, compile",
  description: "Works on the environment given by --python DIR, else VIRTUAL_ENV, else ./.venv-wasm. A venv's bin/pip and bin/python -m pip run these.",
  usage: "[--version] [pip options] COMMAND [options]",
  options: [],
  passThrough: true,
  subcommands: [pipInstallCommand, pipUninstallCommand, pipListCommand, pipFreezeCommand, pipShowCommand, pipCheckCommand, pipDownloadCommand, pipSyncCommand, compileCommand].map(withPipEnvironmentOptions),
  run: (context) => runPipGlobalOptions(context, pipCommand),
});
