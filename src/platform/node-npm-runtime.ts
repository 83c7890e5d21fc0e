import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { chmod, mkdir, rename, rm, writeFile } from "./node-fs-promises.js";
import { dirname, join, relative, sep } from "node:path";
import { KilnError } from "../core/index.js";
import {
  defaultNpmRegistry,
  fetchNpmRuntime,
  isExactRuntimeRequest,
  matchesRuntimeRequest,
  resolveNpmRuntimeVersion,
} from "../runtime/index.js";
import { kilnCacheFolders } from "./kiln-cache-folders.js";

const completeMarker = ".kiln-complete";
const filesRecord = ".kiln-files.json";

/**
 * The directory of `pyodide@request` in kiln's cache (`CACHE/runtimes/pyodide-VERSION`), fetched
 * from the npm registry and verified the first time. A request like `0.29.x` is served by the
 * newest matching version already in the cache, else resolved against the registry. Unpacking
 * goes to a temporary directory renamed into place, so a concurrent or interrupted fetch never
 * leaves a half-written runtime behind.
 *
 * @example
 * const directory = await ensureNpmRuntime("0.29.x", kilnCacheDir(process.env));
 */
export async function ensureNpmRuntime(request: string, cacheDir: string, env: Record<string, string | undefined> = process.env): Promise<string> {
  const root = join(cacheDir, kilnCacheFolders.runtimes);
  const cached = cachedVersions(root).filter((version) => matchesRuntimeRequest(version, request));
  // Only a fetch reads the index settings (and loads the index code): not a runtime served from the cache.
  const fetching = async () => ({ registry: registryOf(env), fetch: timedFetch(await indexTimeoutMs(env)) });
  if (cached.length > 0 && (!isExactRuntimeRequest(request) || cached.includes(request))) {
    const version = isExactRuntimeRequest(request) ? request : newest(cached);
    const directory = join(root, `pyodide-${version}`);
    const damage = runtimeDamage(directory);
    if (damage === undefined) return directory;
    // A damaged copy (a truncated wasm would hang Pyodide's start) is fetched again, as if missing.
    const options = await fetching();
    try {
      await fetchInto(version, directory, options);
    } catch (error) {
      throw new KilnError("runtimeInvalid", `The cached pyodide@${version} in "${directory}" is damaged (${damage}), and fetching it again failed: ${(error as Error)?.message ?? String(error)}`, {
        hint: `Check the network (or npm_config_registry) and run again; or remove "${directory}"`,
        cause: error,
      });
    }
    return directory;
  }
  const options = await fetching();
  const version = await resolveNpmRuntimeVersion(request, options);
  const directory = join(root, `pyodide-${version}`);
  if (existsSync(join(directory, completeMarker)) && runtimeDamage(directory) === undefined) return directory;
  await fetchInto(version, directory, options);
  return directory;
}

/** Fetches and verifies pyodide@version into `directory`, through a temporary directory renamed into place. */
async function fetchInto(version: string, directory: string, options: Parameters<typeof fetchNpmRuntime>[1]): Promise<void> {
  const files = await fetchNpmRuntime(version, options);
  const temporary = `${directory}.${process.pid}.${Date.now()}.tmp`;
  try {
    for (const file of files) {
      const path = join(temporary, file.path);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.data);
      await chmod(path, file.mode & 0o755 ? file.mode & 0o755 : 0o644);
    }
    await recordRuntimeFiles(temporary);
    await writeFile(join(temporary, completeMarker), `pyodide@${version}\n`);
    await rm(directory, { recursive: true, force: true });
    await rename(temporary, directory).catch(async (error: NodeJS.ErrnoException) => {
      // Another kiln finished the same fetch first; its copy is as good as ours.
      if (!existsSync(join(directory, completeMarker))) throw error;
    });
  } finally {
    await rm(temporary, { recursive: true, force: true });
  }
}

/**
 * Records the size of every file of a fetched runtime (`.kiln-files.json`), so that a later run
 * notices a damaged copy (a truncated or missing file) with a few stat calls instead of starting
 * it: Pyodide's start never settles on a truncated pyodide.asm.wasm, and dies with an uncaught
 * JSON error on a truncated pyodide-lock.json.
 *
 * @example
 * await recordRuntimeFiles("/cache/runtimes/pyodide-0.29.3.123.tmp");
 */
export async function recordRuntimeFiles(directory: string): Promise<void> {
  const sizes: Record<string, number> = {};
  for (const entry of readdirSync(directory, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = relative(directory, join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name)).split(sep).join("/");
    if (path !== completeMarker && path !== filesRecord) sizes[path] = statSync(join(directory, path)).size;
  }
  await writeFile(join(directory, filesRecord), JSON.stringify(sizes));
}

/** What is wrong with a cached runtime's files, or undefined (also for one fetched before kiln recorded them). */
function runtimeDamage(directory: string): string | undefined {
  let sizes: Record<string, number>;
  try {
    sizes = JSON.parse(readFileSync(join(directory, filesRecord), "utf8")) as Record<string, number>;
  } catch (error) {
    return (error as NodeJS.ErrnoException)?.code === "ENOENT" ? undefined : `${filesRecord} is unreadable`;
  }
  for (const [path, size] of Object.entries(sizes)) {
    const actual = statSync(join(directory, path), { throwIfNoEntry: false });
    if (actual === undefined) return `${path} is missing`;
    if (actual.size !== size) return `${path} is ${actual.size} bytes, not ${size}`;
  }
  return undefined;
}

function cachedVersions(root: string): string[] {
  try {
    return readdirSync(root)
      .filter((name) => name.startsWith("pyodide-") && existsSync(join(root, name, completeMarker)))
      .map((name) => name.slice("pyodide-".length));
  } catch {
    return [];
  }
}

function newest(versions: string[]): string {
  return [...versions].sort((a, b) => {
    const pa = a.split(".").map(Number);
    const pb = b.split(".").map(Number);
    return (pa[0]! - pb[0]!) || (pa[1]! - pb[1]!) || ((pa[2] ?? 0) - (pb[2] ?? 0));
  }).pop()!;
}

function registryOf(env: Record<string, string | undefined>): string {
  const configured = env.npm_config_registry || env.NPM_CONFIG_REGISTRY || defaultNpmRegistry;
  return configured.endsWith("/") ? configured : `${configured}/`;
}

/**
 * The global fetch with the index's stall and trickle limits (see requireProgress): the registry
 * and the tarball download give up when no progress is made for `timeoutMs`, instead of waiting
 * minutes for a stalled server (undici's own limits) or forever for a trickling one. The body is
 * read whole, as the runtime fetch does anyway.
 */
function timedFetch(timeoutMs: number): typeof globalThis.fetch {
  return async (input, init) => {
    const { fetchHttpClient, readBody, requireProgress } = await import("../index/index.js");
    const http = fetchHttpClient();
    const url = input instanceof Request ? input.url : String(input);
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const response = await http.request({ url, headers, idleTimeoutMs: timeoutMs });
    const body = await readBody(requireProgress(response, timeoutMs));
    return new Response(body.byteLength === 0 ? null : (body as Uint8Array<ArrayBuffer>), { status: response.status, statusText: response.statusText });
  };
}

/**
 * The idle timeout of the user's index settings (`PIP_TIMEOUT`, `UV_HTTP_TIMEOUT`, pip.conf's
 * `timeout`; an invalid one refused as by every command), else the index's default.
 */
async function indexTimeoutMs(env: Record<string, string | undefined>): Promise<number> {
  const [{ loadIndexSettings }, { defaultIdleTimeoutMs }] = await Promise.all([import("./node-index-settings.js"), import("../index/index.js")]);
  return (await loadIndexSettings({ env, cwd: process.cwd() })).timeoutMs ?? defaultIdleTimeoutMs;
}
