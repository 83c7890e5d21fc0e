import { dirname } from "node:path";
import { KilnError } from "../../core/index.js";
// Not through runtime/index.ts, as in pip-environment.ts: the pip command does not load the runtime layer.
import { writeModuleLauncher, type VirtualEnvironment } from "../../runtime/virtual-environment.js";
import { kilnEntryScript } from "../../platform/node-run-launcher.js";
import { nodeVenvFileSystem } from "../../platform/node-venv-file-system.js";
import type { CommandContext } from "../command.js";
import { formatCommandHelp } from "../help.js";
import { kilnVersion, runCli } from "../main.js";
import { openPipEnvironment } from "./pip-environment.js";

// pip's general options that take a value, so `pip --python DIR install x` finds `install`.
const valueOptions = new Set(["--python", "--cache-dir", "--timeout", "--retries", "--proxy", "--cert", "--index-url", "-i", "--extra-index-url", "--find-links", "-f", "--root-user-action", "--pyodide-base-url", "--index-strategy"]);

/**
 * `kiln pip` with options before the subcommand, as pip takes its general options
 * (`pip -q --disable-pip-version-check install x`): they move after the subcommand and the
 * command line runs again. `--version`/`-V` prints which pip this is.
 *
 * @example
 * await runPipGlobalOptions(context); // for `kiln pip -q install x`, runs `kiln pip install -q x`
 */
export async function runPipGlobalOptions(context: CommandContext, group: Parameters<typeof formatCommandHelp>[0]): Promise<number> {
  const args = context.arguments.rest;
  let index = 0;
  while (index < args.length && args[index]!.startsWith("-")) index += valueOptions.has(args[index]!) ? 2 : 1;
  const leading = args.slice(0, index);
  if (leading.includes("--version") || leading.includes("-V")) {
    context.output.line(await versionLine(context));
    return 0;
  }
  if (index >= args.length) {
    context.output.stderr.write(formatCommandHelp(group, "pip"));
    return 2;
  }
  if (!group.subcommands?.some((command) => command.name === args[index])) {
    throw new KilnError("unknownCommand", `"kiln pip" has no command "${args[index]}"`, { hint: 'Run "kiln pip --help" to list its commands' });
  }
  return runCli(["pip", args[index]!, ...leading, ...args.slice(index + 1)], { stdout: context.output.stdout, stderr: context.output.stderr, env: context.env, cwd: context.cwd });
}

/** pip's `pip X from DIR (python X.Y)`, naming kiln and the environment's Python when there is one. */
async function versionLine(context: CommandContext): Promise<string> {
  // The package root, the same from tsc's dist/cli/commands/ and from the bundle's dist/bundle/.
  const root = dirname(dirname(kilnEntryScript));
  const python = await openPipEnvironment(context).then(
    (environment) => ` (python ${environment.venv.pythonVersion})`,
    () => "",
  );
  return `pip ${kilnVersion} from kiln ${root}${python}`;
}

/**
 * Writes `bin/pip`, `bin/pip3` and `bin/pip3.X` into a venv: launchers for `bin/python -m pip`,
 * which reaches kiln's pip (as `python -m venv` installs pip's own launchers).
 *
 * @example
 * await writePipLaunchers(venv);
 */
export async function writePipLaunchers(venv: VirtualEnvironment): Promise<void> {
  const fs = nodeVenvFileSystem();
  for (const name of ["pip", "pip3", `pip${venv.pythonVersion}`]) await writeModuleLauncher(venv, fs, { name, module: "pip" });
}
