import { kilnCacheDir } from "../platform/kiln-cache-dir.js";
import type { CommandContext } from "./command.js";

/**
 * The cache directory a command uses: `--cache-dir` when the command has it and it was given,
 * else `KILN_CACHE_DIR`, else the platform's (see `kilnCacheDir`); relative paths are relative to
 * the command's working directory. `--no-cache` is the caller's to honour.
 *
 * @example
 * const cacheDir = commandCacheDir(context); // "/home/me/.cache/kiln"
 */
export function commandCacheDir(context: CommandContext): string {
  const given = context.arguments.options["cache-dir"];
  return kilnCacheDir(typeof given === "string" ? { ...context.env, KILN_CACHE_DIR: given } : context.env, { cwd: context.cwd });
}
