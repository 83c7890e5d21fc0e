import { readFile } from "../platform/node-fs-promises.js";
import { resolve } from "node:path";
import { KilnError } from "../core/index.js";
import type { HttpSession, IndexFlags, IndexSettings, PackageSource } from "../index/index.js";
import { parsePylock } from "../lock/index.js";
import { normalizeName } from "../pep508/index.js";
import { createNodeHttpSession, kilnCacheDir, loadIndexSettings } from "../platform/node.js";
import { abiForPlatformTag } from "../tags/index.js";
import type { TargetEnvironment } from "../resolver/index.js";
import { binaryOptions } from "./sdist-builds.js";
import type { CommandContext, OptionDefinition } from "./command.js";
import { indexOptions, packageSourceOf, type RepositoryTarget } from "./index-options.js";
import { checkReplaceableLock, refusal, type LockOutputFormat } from "./replaceable-lock.js";
import { resolveTarget } from "./resolve-target.js";
import { emptyRequirementsInput, readRequirementsFile, type RequirementsInput } from "./requirements-file.js";

/** Where packages come from: one declaration for every command that fetches packages. */
export { indexOptions };

/** The options every resolving command shares (`kiln lock`, `kiln pip compile`). */
export const resolveOptions: OptionDefinition[] = [
  { name: "requirement", short: "r", type: "string", multiple: true, valueName: "FILE", description: "Read requirements from a pip requirements file" },
  { name: "constraint", short: "c", type: "string", multiple: true, valueName: "FILE", description: "Constrain versions with a constraints file" },
  { name: "pre", type: "boolean", description: "Allow pre-release versions of every package" },
  {
    name: "runtime",
    type: "string",
    valueName: "RUNTIME",
    description: "Target: pyodide@VERSION (that runtime and its Pyodide repository), or an ABI: 2026_0 (default), 2025_0, 2024_0, or a platform tag",
  },
  ...binaryOptions,
  ...indexOptions,
];

/** Everything a resolving command needs, from flags, requirement files and the environment. */
export interface ResolveSettings {
  input: RequirementsInput;
  index: IndexSettings;
  session: HttpSession;
  source: PackageSource;
  target: TargetEnvironment;
}

function strings(value: unknown): string[] {
  if (value === undefined || value === false) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

function first(value: unknown): string | undefined {
  return strings(value)[0];
}

/**
 * The index flags of a command line, with what requirement files said filling in what the
 * command line leaves out (pip's options inside requirement files).
 *
 * @example
 * const flags = indexFlags(context.arguments.options, input);
 */
export function indexFlags(options: Record<string, unknown>, input?: RequirementsInput): IndexFlags {
  const extra = strings(options["extra-index-url"]);
  const findLinks = strings(options["find-links"]);
  return {
    indexUrl: first(options["index-url"]) ?? input?.contents.indexUrl,
    extraIndexUrls: extra.length ? extra : input?.contents.extraIndexUrls,
    findLinks: findLinks.length ? findLinks : input?.contents.findLinks,
    noIndex: options["no-index"] === true || input?.contents.noIndex === true || undefined,
    pyodideBaseUrl: first(options["pyodide-base-url"]),
    noPyodideIndex: options["no-pyodide-index"] === true || undefined,
    indexStrategy: first(options["index-strategy"]),
    cert: first(options.cert),
    proxy: first(options.proxy),
    timeout: first(options.timeout),
    retries: first(options.retries),
    offline: options.offline === true || undefined,
  };
}

/**
 * The package source a command's flags and the user's configuration describe (pip's and uv's
 * environment variables, pip.conf, `[tool.kiln]`; see docs/configuration.md), over kiln's
 * on-disk cache.
 *
 * @example
 * const { settings, source } = await packageSourceFor(context, indexFlags(context.arguments.options));
 */
export async function packageSourceFor(
  context: CommandContext,
  flags: IndexFlags,
  target: RepositoryTarget = {},
): Promise<{ settings: IndexSettings; session: HttpSession; source: PackageSource }> {
  const options = context.arguments.options;
  const settings = await loadIndexSettings({ env: context.env, cwd: context.cwd, flags });
  const cacheDir = first(options["cache-dir"]);
  const session = await createNodeHttpSession(settings, {
    env: context.env,
    cacheDir: options["no-cache"] === true ? false : kilnCacheDir(cacheDir ? { ...context.env, KILN_CACHE_DIR: cacheDir } : context.env, { cwd: context.cwd }),
    refresh: options.refresh === true,
  });
  return { settings, session, source: await packageSourceOf(settings, session, target) };
}

/**
 * Merges positionals, `-r`/`-c` files and flags into settings, and builds the package source.
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
  const where = (file: string) => (/^https?:\/\//i.test(file) ? file : resolve(context.cwd, file));
  const timeout = first(options.timeout);
  const reading = { cwd: context.cwd, env: context.env, ...(timeout === undefined ? {} : { timeout }) };
  for (const file of strings(options.requirement)) await readRequirementsFile(where(file), input, { kind: "requirements", ...reading });
  for (const file of strings(options.constraint)) await readRequirementsFile(where(file), input, { kind: "constraints", ...reading });
  if (options.pre === true) input.pre = true;
  if (input.requirements.length === 0) {
    throw new KilnError("usage", "Nothing to resolve: give requirements or -r FILE", { hint: "kiln lock requests  or  kiln lock -r requirements.in" });
  }
  const { target, runtime } = await resolveTarget(context, first(options.runtime));
  const abi = abiForPlatformTag(target.platformTags[0] ?? "")?.abiVersion;
  const { settings, session, source } = await packageSourceFor(context, indexFlags(options, input), { ...(abi ? { abi } : {}), ...(runtime ? { runtime } : {}) });
  return { input, index: settings, session, source, target };
}

/**
 * Versions to keep from an existing output file: a `pylock.toml`, a `pyodide-lock.json`, or
 * `name==version` lines of a requirements file. A missing file gives no preferences; a file that
 * is not a lock of that format, or cannot be read, is an `outputNotALock` error (see
 * checkReplaceableLock): the command would otherwise overwrite it.
 *
 * @example
 * const preferences = await readPreferences("pylock.toml", "pylock");
 */
export async function readPreferences(path: string, format: LockOutputFormat): Promise<Map<string, string>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    // A path that is a directory or lies below a file: writeOutputFile says why it cannot be written.
    if (["ENOENT", "EISDIR", "ENOTDIR"].includes((error as NodeJS.ErrnoException).code ?? "")) return new Map();
    throw refusal(path, `it cannot be read to check that it is a lock (${(error as Error).message})`);
  }
  checkReplaceableLock(text, path, format);
  if (format === "pylock") return text.trim() === "" ? new Map() : new Map(parsePylock(text, path).packages.map((p) => [normalizeName(p.name), p.version]));
  if (format === "pyodide-lock") {
    const packages = text.trim() === "" ? {} : ((JSON.parse(text) as { packages: Record<string, { version?: string }> }).packages);
    return new Map(Object.entries(packages).flatMap(([name, p]) => (typeof p?.version === "string" ? [[normalizeName(name), p.version] as [string, string]] : [])));
  }
  const pins = [...text.matchAll(/^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)/gm)];
  return new Map(pins.map((m) => [normalizeName(m[1]!), m[2]!]));
}
