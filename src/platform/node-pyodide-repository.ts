import { readFile } from "node:fs/promises";
import { pyodideCdnUrl } from "../index/index.js";

/**
 * The Pyodide repository of the runtime kiln embeds (the `pyodide` npm package): its CDN base URL
 * for that version, and the `pyodide-lock.json` text the package ships, so listing needs no
 * request (the wheels themselves come from the CDN, or from `pyodide-base-url` when set).
 *
 * @example
 * const source = buildPackageSource(settings, { session, pyodide: await nodePyodideRepository() });
 */
export async function nodePyodideRepository(): Promise<{ baseUrl: string; lockText: string; version: string }> {
  // node:module is loaded here, not at start-up: most commands never need the repository's files.
  const { createRequire } = await import("node:module");
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve("pyodide/package.json");
  const { version } = JSON.parse(await readFile(packageJson, "utf8")) as { version: string };
  const lockText = await readFile(new URL("pyodide-lock.json", `file://${packageJson}`), "utf8");
  return { baseUrl: pyodideCdnUrl(version), lockText, version };
}
