import type { Reporter } from "../../core/index.js";
import { commandCacheDir } from "../command-cache-dir.js";
import type { CommandContext, OptionDefinition } from "../command.js";
import type { PipEnvironment } from "./pip-environment.js";

/** pip's `--compile` / `--no-compile`, for every pip command that installs. */
export const pipCompileOptions: OptionDefinition[] = [
  { name: "compile", type: "boolean", description: "Byte-compile the installed modules (the default, as pip does)" },
  { name: "no-compile", type: "boolean", description: "Do not byte-compile the installed modules (also PIP_NO_COMPILE=1)" },
];

/**
 * pip's byte-compilation after an install, unless the user turned it off (--no-compile, else
 * PIP_NO_COMPILE as pip reads it): `__pycache__` files for the installed modules, from kiln's
 * cache of compiled modules where it has them (unless --no-cache), else compiled in the runtime.
 * A failure leaves the modules to be compiled on import; it does not fail the install.
 *
 * @example
 * await compileInstalledIfWanted(context, environment, result.installed.map((w) => w.distInfo), reporter);
 */
export async function compileInstalledIfWanted(context: CommandContext, environment: PipEnvironment, distInfos: string[], reporter: Reporter): Promise<void> {
  if (distInfos.length === 0 || !compileWanted(context)) return;
  const options = context.arguments.options;
  const noCache = options["no-cache"] === true || options["no-cache-dir"] === true;
  const cacheDir = noCache ? undefined : commandCacheDir(context);
  const { compileInstalledBytecode } = await import("../../platform/node-install-bytecode.js");
  try {
    await compileInstalledBytecode({ venv: environment.venv, distInfos, env: context.env, cwd: context.cwd, reporter, ...(cacheDir ? { cacheDir } : {}) });
  } catch (error) {
    reporter.warn(`Cannot byte-compile the installed modules (they are compiled on import instead): ${(error as Error).message}`);
  }
}

/** --compile, else --no-compile, else PIP_NO_COMPILE (as pip reads it), else compile. */
function compileWanted(context: CommandContext): boolean {
  const options = context.arguments.options;
  if (options.compile === true) return true;
  if (options["no-compile"] === true) return false;
  return !/^(1|true|yes|on)$/i.test(context.env.PIP_NO_COMPILE ?? "");
}
