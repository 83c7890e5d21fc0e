import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pyodideCdnUrl } from "../index/index.js";
import type { RuntimeSpec } from "../runtime/index.js";

/** A Pyodide repository: where its files live, and its `pyodide-lock.json`. */
export interface NodePyodideRepository {
  baseUrl: string;
  lockText: string;
  version: string;
}

/** Which runtime's repository {@link nodePyodideRepository} gives: a `pyodide@X` runtime in kiln's cache. */
export interface RepositoryRuntime {
  spec: RuntimeSpec;
  /** kiln's cache directory, where `pyodide@X` runtimes are kept (fetched there when missing). */
  cacheDir: string;
  env: Record<string, string | undefined>;
}

/**
 * The Pyodide repository of a runtime: its CDN base URL for that version, and the
 * `pyodide-lock.json` text its npm package ships, so listing needs no request (the wheels
 * themselves come from the CDN, or from `pyodide-base-url` when set). Without a runtime, or for
 * the bundled one, it is the repository of the runtime kiln embeds (the `pyodide` npm package);
 * for `pyodide@X`, that of X (from kiln's cache, where making an environment of X put it), so an
 * environment of X gets the packages built for X's ABI.
 *
 * @example
 * const source = buildPackageSource(settings, { session, pyodide: await nodePyodideRepository() });
 * const older = await nodePyodideRepository({ spec: { kind: "npm", version: "0.29.5" }, cacheDir, env: process.env });
 */
export async function nodePyodideRepository(runtime?: RepositoryRuntime): Promise<NodePyodideRepository> {
  const directory = await runtimeDirectory(runtime);
  // Read synchronously, as the other small reads before resolving (~120 kB): a thread-pool round
  // trip each, and node:fs/promises loaded for them, cost more than the reads.
  const { version } = JSON.parse(readFileSync(join(directory, "package.json"), "utf8")) as { version: string };
  const lockText = readFileSync(join(directory, "pyodide-lock.json"), "utf8");
  return { baseUrl: pyodideCdnUrl(version), lockText, version };
}

async function runtimeDirectory(runtime: RepositoryRuntime | undefined): Promise<string> {
  // Loaded here, not at start-up (bundledPyodideDir loads node:module): most commands never need the repository.
  if (runtime?.spec.kind !== "npm") return (await import("./bundled-pyodide-dir.js")).bundledPyodideDir();
  const { ensureNpmRuntime } = await import("./node-npm-runtime.js");
  return ensureNpmRuntime(runtime.spec.version, runtime.cacheDir, runtime.env);
}
