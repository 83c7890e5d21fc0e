import { buildPackageSource, type IndexFlags, type PackageSource } from "../../index/index.js";
import { createNodeHttpSession, kilnCacheDir, loadIndexSettings, nodeLocalFiles } from "../../platform/node.js";
import type { HttpSession, LocalFiles } from "../../index/index.js";
import type { Reporter } from "../../core/index.js";
import type { CommandContext, OptionDefinition } from "../command.js";

/** pip's index options, with kiln's Pyodide-repository and cache options. */
export const pipIndexOptions: OptionDefinition[] = [
  { name: "index-url", short: "i", type: "string", valueName: "URL", description: "The package index (default https://pypi.org/simple/)" },
  { name: "extra-index-url", type: "string", multiple: true, valueName: "URL", description: "Another index, consulted before --index-url" },
  { name: "find-links", short: "f", type: "string", multiple: true, valueName: "PATH|URL", description: "A directory or page of links to wheels, consulted first" },
  { name: "no-index", type: "boolean", description: "Ignore --index-url and --extra-index-url" },
  { name: "pyodide-base-url", type: "string", valueName: "URL", description: "A Pyodide repository (a directory URL with pyodide-lock.json) to consult" },
  { name: "index-strategy", type: "string", valueName: "STRATEGY", description: "first-index (default) or unsafe-best-match" },
  { name: "offline", type: "boolean", description: "Use only the cache; never touch the network" },
  { name: "refresh", type: "boolean", description: "Revalidate cached index pages" },
  { name: "cache-dir", type: "string", valueName: "DIR", description: "Cache directory (default: KILN_CACHE_DIR, else the platform's)" },
  { name: "no-cache-dir", type: "boolean", description: "Do not read or write the cache" },
];

/** What requirement files add to the index flags (`-i`, `--extra-index-url`, `-f`, `--no-index`). */
export interface FileIndexOptions {
  indexUrl?: string;
  extraIndexUrls?: string[];
  findLinks?: string[];
  noIndex?: boolean;
}

const strings = (value: unknown): string[] => (value === undefined || value === false ? [] : Array.isArray(value) ? value.map(String) : [String(value)]);

/**
 * The package source for a `kiln pip` command: flags over what requirement files say, over
 * pip's and uv's environment variables, pip.conf and `[tool.kiln]` (src/index's settings), with
 * kiln's on-disk cache.
 *
 * @example
 * const { source, session } = await pipPackageSource(context, {}, reporter);
 */
export async function pipPackageSource(
  context: CommandContext,
  files: FileIndexOptions,
  reporter: Reporter,
): Promise<{ source: PackageSource; session: HttpSession; localFiles: LocalFiles }> {
  const options = context.arguments.options;
  const extra = strings(options["extra-index-url"]);
  const findLinks = strings(options["find-links"]);
  const flags: IndexFlags = {
    ...(strings(options["index-url"])[0] ?? files.indexUrl ? { indexUrl: strings(options["index-url"])[0] ?? files.indexUrl! } : {}),
    ...(extra.length || files.extraIndexUrls?.length ? { extraIndexUrls: extra.length ? extra : files.extraIndexUrls! } : {}),
    ...(findLinks.length || files.findLinks?.length ? { findLinks: findLinks.length ? findLinks : files.findLinks! } : {}),
    ...(options["no-index"] === true || files.noIndex ? { noIndex: true } : {}),
    ...(typeof options["pyodide-base-url"] === "string" ? { pyodideBaseUrl: options["pyodide-base-url"] } : {}),
    ...(typeof options["index-strategy"] === "string" ? { indexStrategy: options["index-strategy"] } : {}),
    ...(options.offline === true ? { offline: true } : {}),
  };
  const settings = await loadIndexSettings({ env: context.env, cwd: context.cwd, flags });
  const cacheDir = strings(options["cache-dir"])[0];
  const session = await createNodeHttpSession(settings, {
    env: context.env,
    cacheDir: options["no-cache-dir"] === true ? false : kilnCacheDir(cacheDir ? { ...context.env, KILN_CACHE_DIR: cacheDir } : context.env, { cwd: context.cwd }),
    refresh: options.refresh === true,
    reporter,
  });
  return { source: buildPackageSource(settings, { session, files: nodeLocalFiles }), session, localFiles: nodeLocalFiles };
}
