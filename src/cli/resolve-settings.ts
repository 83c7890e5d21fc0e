import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { KilnError } from "../core/index.js";
import { combineSources, fetchHttpClient, HttpSession, SimpleIndexSource, type PackageSource } from "../index/index.js";
import { parsePylock } from "../lock/index.js";
import { normalizeName } from "../pep508/index.js";
import { NodeCacheStore, kilnCacheDir } from "../platform/node.js";
import { targetForAbi, type TargetEnvironment } from "../resolver/index.js";
import type { CommandContext, OptionDefinition } from "./command.js";
import { emptyRequirementsInput, readRequirementsFile, type RequirementsInput } from "./requirements-file.js";

/** The options every resolving command shares (`kiln lock`, `kiln pip compile`). */
export const resolveOptions: OptionDefinition[] = [
  { name: "requirement", short: "r", type: "string", multiple: true, valueName: "FILE", description: "Read requirements from a pip requirements file" },
  { name: "constraint", short: "c", type: "string", multiple: true, valueName: "FILE", description: "Constrain versions with a constraints file" },
  { name: "pre", type: "boolean", description: "Allow pre-release versions of every package" },
  { name: "index-url", short: "i", type: "string", valueName: "URL", description: "The package index (default https://pypi.org/simple/)" },
  { name: "extra-index-url", type: "string", multiple: true, valueName: "URL", description: "Another index, consulted after --index-url" },
  { name: "runtime", type: "string", valueName: "ABI", description: "Target runtime ABI: 2026_0 (default), 2025_0, 2024_0 or a platform tag" },
  { name: "offline", type: "boolean", description: "Use only the cache; never touch the network" },
  { name: "refresh", type: "boolean", description: "Revalidate cached index pages" },
  { name: "cache-dir", type: "string", valueName: "DIR", description: "Cache directory (default: KILN_CACHE_DIR, else the platform's)" },
  { name: "no-cache", type: "boolean", description: "Do not read or write the cache" },
];

/** Everything a resolving command needs, from flags, requirement files and the environment. */
export interface ResolveSettings {
  input: RequirementsInput;
  source: PackageSource;
  target: TargetEnvironment;
}

function strings(value: unknown): string[] {
  if (value === undefined || value === false) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

/**
 * Merges positionals, `-r`/`-c` files and flags into settings, and builds the package source
 * (PyPI by default) with kiln's on-disk cache.
 *
 * @example
 * const settings = await resolveSettings(context, positionalRequirements);
 */
export async function resolveSettings(context: CommandContext, positional: readonly string[]): Promise<ResolveSettings> {
  const options = context.arguments.options;
  const input = emptyRequirementsInput();
  for (const requirement of positional) {
    input.requirements.push(requirement);
    input.origins.set(requirement, requirement);
  }
  for (const file of strings(options.requirement)) await readRequirementsFile(resolve(context.cwd, file), input, { kind: "requirements", label: `-r ${file}` });
  for (const file of strings(options.constraint)) await readRequirementsFile(resolve(context.cwd, file), input, { kind: "constraints", label: `-c ${file}` });
  if (options.pre === true) input.pre = true;
  if (input.requirements.length === 0) {
    throw new KilnError("usage", "Nothing to resolve: give requirements or -r FILE", { hint: "kiln lock requests  or  kiln lock -r requirements.in" });
  }
  const indexUrl = strings(options["index-url"])[0] ?? input.indexUrl ?? context.env.PIP_INDEX_URL ?? "https://pypi.org/simple/";
  const extra = [...strings(options["extra-index-url"]), ...input.extraIndexUrls];
  const cacheDir = strings(options["cache-dir"])[0];
  const cache = options["no-cache"] === true ? undefined : new NodeCacheStore(kilnCacheDir(cacheDir ? { ...context.env, KILN_CACHE_DIR: cacheDir } : context.env, { cwd: context.cwd }));
  const session = new HttpSession({ http: fetchHttpClient(), ...(cache ? { cache } : {}), offline: options.offline === true, refresh: options.refresh === true });
  const sources = [indexUrl, ...extra].map((url) => new SimpleIndexSource({ url, session }));
  const source = sources.length === 1 ? sources[0]! : combineSources(sources);
  const runtime = strings(options.runtime)[0];
  return { input, source, target: targetForAbi(runtime) };
}

/**
 * Versions to keep from an existing output file: a `pylock.toml`, or `name==version` lines of a
 * requirements file. Missing or unreadable files give no preferences.
 *
 * @example
 * const preferences = await readPreferences("pylock.toml", "pylock");
 */
export async function readPreferences(path: string, format: "pylock" | "requirements" | "pyodide-lock"): Promise<Map<string, string>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return new Map();
  }
  try {
    if (format === "pylock") return new Map(parsePylock(text, path).packages.map((p) => [normalizeName(p.name), p.version]));
    if (format === "pyodide-lock") {
      const packages = (JSON.parse(text) as { packages?: Record<string, { version?: string }> }).packages ?? {};
      return new Map(Object.entries(packages).flatMap(([name, p]) => (typeof p.version === "string" ? [[normalizeName(name), p.version] as [string, string]] : [])));
    }
  } catch {
    return new Map();
  }
  const pins = [...text.matchAll(/^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)/gm)];
  return new Map(pins.map((m) => [normalizeName(m[1]!), m[2]!]));
}
