import type { HttpSession, IndexFlags, IndexSettings, PackageSource } from "../index/index.js";
import { buildPackageSource, defaultIdleTimeoutMs } from "../index/index.js";
import type { Reporter } from "../core/index.js";
import type { TargetEnvironment } from "../resolver/index.js";
import type { RuntimeSpec } from "../runtime/index.js";
import { abiForPlatformTag } from "../tags/index.js";
import { createNodeHttpSession, loadIndexSettings, nodeLocalFiles, nodePyodideRepository, type RepositoryRuntime } from "../platform/node.js";
import { commandCacheDir } from "./command-cache-dir.js";
import type { CommandContext, OptionDefinition } from "./command.js";

/** The index options every command that fetches packages shares (pip's and uv's names). */
export const indexOptions: OptionDefinition[] = [
  { name: "index-url", short: "i", type: "string", valueName: "URL", description: "The package index (default https://pypi.org/simple/, or pip's/uv's configuration)" },
  { name: "extra-index-url", type: "string", multiple: true, valueName: "URL", description: "Another index, consulted before --index-url (first index wins)" },
  { name: "find-links", short: "f", type: "string", multiple: true, valueName: "DIR|URL", description: "A directory or page of links to distributions" },
  { name: "no-index", type: "boolean", description: "Use no index, only --find-links (and the Pyodide repository)" },
  { name: "pyodide-base-url", type: "string", valueName: "URL", description: "Where the Pyodide repository (pyodide-lock.json and its wheels) lives" },
  { name: "no-pyodide-index", type: "boolean", description: "Leave the runtime's Pyodide repository out" },
  { name: "index-strategy", type: "string", valueName: "STRATEGY", description: "first-index (default) or unsafe-best-match" },
  { name: "cert", type: "string", valueName: "PEM", description: "A CA bundle for HTTPS (else PIP_CERT, pip's cert, SSL_CERT_FILE)" },
  { name: "proxy", type: "string", valueName: "URL", description: "A proxy (else HTTPS_PROXY / HTTP_PROXY, NO_PROXY)" },
  { name: "timeout", type: "string", valueName: "SECONDS", description: `Give up on a stalled request after this long (default ${defaultIdleTimeoutMs / 1000})` },
  { name: "retries", type: "string", valueName: "N", description: "Retries of a failing request (default 3)" },
  { name: "offline", type: "boolean", description: "Use only the cache; never touch the network" },
  { name: "refresh", type: "boolean", description: "Revalidate cached index pages" },
  { name: "cache-dir", type: "string", valueName: "DIR", description: "Cache directory (default: KILN_CACHE_DIR, else the platform's)" },
  { name: "no-cache", type: "boolean", description: "Do not read or write the cache" },
];

/** What {@link openPackageSource} returns. */
export interface OpenedPackageSource {
  settings: IndexSettings;
  session: HttpSession;
  source: PackageSource;
}

/**
 * Builds the package source a command uses from its {@link indexOptions} flags, requirement-file
 * index lines, the environment, pip's configuration files and `[tool.kiln]` (precedence in
 * docs/configuration.md), with the runtime's Pyodide repository as {@link packageSourceOf} adds it.
 *
 * @example
 * const { source } = await openPackageSource(context, { reporter });
 */
export async function openPackageSource(
  context: CommandContext,
  options: {
    reporter?: Reporter;
    fromRequirementsFile?: { indexUrl?: string; extraIndexUrls?: string[]; findLinks?: string[]; noIndex?: boolean };
    /** The target's ABI (`2026_0`), when the command knows it. */
    targetAbi?: string;
    /** The target's runtime, when the command knows it: its Pyodide repository is the fallback. */
    runtime?: RuntimeSpec;
  } = {},
): Promise<OpenedPackageSource> {
  const flags = indexFlags(context, options.fromRequirementsFile);
  const settings = await loadIndexSettings({ env: context.env, cwd: context.cwd, flags });
  const given = context.arguments.options;
  const cacheDir = given["no-cache"] === true ? false : commandCacheDir(context);
  const session = await createNodeHttpSession(settings, { env: context.env, cacheDir, refresh: given.refresh === true, reporter: options.reporter });
  const runtime = options.runtime?.kind === "npm" ? { runtime: { spec: options.runtime, cacheDir: commandCacheDir(context), env: context.env } } : {};
  return { settings, session, source: await packageSourceOf(settings, session, { ...(options.targetAbi ? { abi: options.targetAbi } : {}), ...runtime }) };
}

/** Whose Pyodide repository a package source falls back to (see {@link packageSourceOf}). */
export interface RepositoryTarget {
  /** The target's ABI (`2026_0`): the repository offers files only to a target of its own ABI. */
  abi?: string;
  /** The target's runtime: a `pyodide@X` gets X's repository; the embedded runtime's when absent. */
  runtime?: RepositoryRuntime;
}

/**
 * The one policy for the runtime's Pyodide repository, the same for every command: it is a
 * fallback after `--find-links` and the indexes, on unless `no-pyodide-index` is set, and the
 * resolver uses it only when those alone cannot satisfy the requirements. Without a
 * `pyodide-base-url` it is the target runtime's (the embedded runtime's unless the target names
 * a `pyodide@X`): its `pyodide-lock.json` is read from the runtime's npm package (no request),
 * and the resolver takes dependencies from the lock's `depends`, so resolving never needs
 * Pyodide's CDN; only downloading one of its files does.
 * With a `pyodide-base-url`, the lock file is fetched from there (through the cache) when a
 * project first falls back to it.
 *
 * @example
 * const source = await packageSourceOf(settings, session, { abi: "2026_0" });
 */
export async function packageSourceOf(settings: IndexSettings, session: HttpSession, target: RepositoryTarget = {}): Promise<PackageSource> {
  const pyodide = settings.noPyodideIndex || settings.pyodideBaseUrl ? undefined : await nodePyodideRepository(target.runtime);
  return buildPackageSource(settings, { session, files: nodeLocalFiles, pyodide, ...(target.abi ? { targetAbi: target.abi } : {}) });
}

/**
 * The ABI a target's Pyodide repository must be built for (see {@link packageSourceOf}): `2026_0`
 * for `pyemscripten_2026_0_wasm32`. For a platform of no known ABI it is the platform tag itself,
 * which no repository's ABI equals, so the repository offers such a target nothing: its shared
 * libraries carry no wheel tags that would reject them.
 *
 * @example
 * targetAbiOf(targetForAbi("2025_0")); // "2025_0"
 */
export function targetAbiOf(target: TargetEnvironment): string {
  const tag = target.platformTags[0] ?? "";
  return abiForPlatformTag(tag)?.abiVersion ?? tag;
}

/** Flags (and `-i`/`--extra-index-url` lines of a requirements file, which rank as flags in pip). */
function indexFlags(context: CommandContext, fromFile: { indexUrl?: string; extraIndexUrls?: string[]; findLinks?: string[]; noIndex?: boolean } = {}): IndexFlags {
  const given = context.arguments.options;
  const text = (name: string) => (typeof given[name] === "string" ? (given[name] as string) : undefined);
  const list = (name: string) => (Array.isArray(given[name]) ? (given[name] as string[]) : typeof given[name] === "string" ? [given[name] as string] : []);
  const extra = [...list("extra-index-url"), ...(fromFile.extraIndexUrls ?? [])];
  return {
    indexUrl: text("index-url") ?? fromFile.indexUrl,
    extraIndexUrls: extra.length ? extra : undefined,
    findLinks: list("find-links").length ? list("find-links") : fromFile.findLinks?.length ? fromFile.findLinks : undefined,
    noIndex: given["no-index"] === true || fromFile.noIndex === true,
    pyodideBaseUrl: text("pyodide-base-url"),
    noPyodideIndex: given["no-pyodide-index"] === true,
    indexStrategy: text("index-strategy"),
    cert: text("cert"),
    proxy: text("proxy"),
    timeout: text("timeout"),
    retries: text("retries"),
    offline: given.offline === true,
  };
}
