import { statSync } from "node:fs";
import { KilnError } from "../core/index.js";
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
export function commandCacheDir(context: Pick<CommandContext, "arguments" | "env" | "cwd">): string {
  const given = context.arguments.options["cache-dir"];
  return kilnCacheDir(typeof given === "string" ? { ...context.env, KILN_CACHE_DIR: given } : context.env, { cwd: context.cwd });
}

/**
 * Refuses, before a command runs, a cache directory that exists and is not a directory (a
 * `KILN_CACHE_DIR` naming a file, say): every part of kiln that caches would otherwise fail
 * on its own, deep inside, with the file system's ENOTDIR or EEXIST. A missing directory is fine
 * (it is created when first written); `--no-cache` skips the check.
 *
 * @example
 * checkCommandCacheDir(context); // throws cacheIo when KILN_CACHE_DIR names a file
 */
export function checkCommandCacheDir(context: Pick<CommandContext, "arguments" | "env" | "cwd">): void {
  if (context.arguments.options["no-cache"] === true || context.arguments.options["no-cache-dir"] === true) return;
  const directory = commandCacheDir(context);
  const stat = statSync(directory, { throwIfNoEntry: false });
  if (stat === undefined || stat.isDirectory()) return;
  const from = typeof context.arguments.options["cache-dir"] === "string" ? "--cache-dir" : context.env.KILN_CACHE_DIR ? "KILN_CACHE_DIR" : "the default location";
  throw new KilnError("cacheIo", `Cannot use the cache directory "${directory}" (from ${from}): it is not a directory`, {
    hint: "Point KILN_CACHE_DIR or --cache-dir at a directory, or move that file away",
  });
}
