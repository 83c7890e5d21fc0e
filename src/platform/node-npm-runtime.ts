import { existsSync, readdirSync } from "node:fs";
import { chmod, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import {
  defaultNpmRegistry,
  fetchNpmRuntime,
  isExactRuntimeRequest,
  matchesRuntimeRequest,
  resolveNpmRuntimeVersion,
} from "../runtime/index.js";
import { kilnCacheFolders } from "./kiln-cache-folders.js";

const completeMarker = ".kiln-complete";

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
  if (cached.length > 0 && (!isExactRuntimeRequest(request) || cached.includes(request))) {
    return join(root, `pyodide-${isExactRuntimeRequest(request) ? request : newest(cached)}`);
  }
  const options = { registry: registryOf(env), fetch: globalThis.fetch };
  const version = await resolveNpmRuntimeVersion(request, options);
  const directory = join(root, `pyodide-${version}`);
  if (existsSync(join(directory, completeMarker))) return directory;
  const files = await fetchNpmRuntime(version, options);
  const temporary = `${directory}.${process.pid}.${Date.now()}.tmp`;
  try {
    for (const file of files) {
      const path = join(temporary, file.path);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.data);
      await chmod(path, file.mode & 0o755 ? file.mode & 0o755 : 0o644);
    }
    await writeFile(join(temporary, completeMarker), `pyodide@${version}\n`);
    await rm(directory, { recursive: true, force: true });
    await rename(temporary, directory).catch(async (error: NodeJS.ErrnoException) => {
      // Another kiln finished the same fetch first; its copy is as good as ours.
      if (!existsSync(join(directory, completeMarker))) throw error;
    });
  } finally {
    await rm(temporary, { recursive: true, force: true });
  }
  return directory;
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
