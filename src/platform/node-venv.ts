import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Reporter } from "../core/index.js";
import {
  createVirtualEnvironment,
  ensureCompiledStdlib,
  type RuntimeDescription,
  type RuntimeSpec,
  type VirtualEnvironment,
} from "../runtime/index.js";
import { deferExtraCaCertsShell } from "./node-extra-ca-certs.js";
import { inheritedSigintShell } from "./node-ignored-sigint.js";
import { describeRuntimeCached } from "./node-runtime-description.js";
import { createNodeRuntimeHost } from "./node-runtime-host.js";
import { nodeVenvFileSystem } from "./node-venv-file-system.js";

/**
 * The script a venv's `bin/python` execs with node: the launcher's CommonJS bundle when kiln runs
 * from its bundle (it starts the helper thread ~5 ms sooner), else its ES module.
 */
export const venvLauncherScript: string = fileURLToPath(
  existsSync(new URL("./node-venv-launcher.cjs", import.meta.url)) ? new URL("./node-venv-launcher.cjs", import.meta.url) : new URL("./node-venv-launcher.js", import.meta.url),
);

/** Options for {@link createNodeVirtualEnvironment}. */
export interface NodeVenvOptions {
  directory: string;
  runtime?: RuntimeSpec;
  clear?: boolean;
  prompt?: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
  kilnVersion: string;
  /** kiln's cache (runtimes, their descriptions); `kilnCacheDir` of `env` when absent. */
  cacheDir?: string;
  /** Hears about the once-per-runtime work (compiling the standard library). */
  reporter?: Reporter;
}

/**
 * `kiln venv`: reads what the runtime is (`describeRuntime`, cached per runtime build by
 * {@link describeRuntimeCached}, so only the first venv of a build starts a runtime), makes sure
 * the build's standard library is byte-compiled in kiln's cache (`ensureCompiledStdlib`: once per
 * build, as pip compiles what it installs, so that no process in the environment compiles the
 * standard library from source), then writes the environment with launchers that exec this node
 * and this kiln.
 *
 * @example
 * const { venv, description } = await createNodeVirtualEnvironment({ directory: ".venv-wasm", kilnVersion: "0.1.0" });
 */
export async function createNodeVirtualEnvironment(
  options: NodeVenvOptions,
): Promise<{ venv: VirtualEnvironment; description: RuntimeDescription }> {
  const cwd = options.cwd ?? process.cwd();
  const directory = resolve(cwd, options.directory);
  const runtimeSpec = options.runtime ?? { kind: "bundled" };
  const host = createNodeRuntimeHost({ ...(options.env ? { env: options.env } : {}), ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}), cwd });
  const { description, files } = await describeRuntimeCached(host, runtimeSpec, { kilnVersion: options.kilnVersion });
  // Without it every start compiles what it imports, as before: slower, never wrong.
  await ensureCompiledStdlib(host, { runtime: runtimeSpec, ...(options.reporter ? { reporter: options.reporter } : {}) }).catch((error: Error) => {
    options.reporter?.warn(`Cannot byte-compile the standard library of Pyodide ${files.pyodideVersion}: ${error.message}`);
  });
  const venv = await createVirtualEnvironment({
    directory,
    fs: nodeVenvFileSystem(),
    description,
    // A range such as 0.29.x is pinned to the version it resolved to, as a lock would.
    runtime: runtimeSpec.kind === "npm" ? { kind: "npm", version: files.pyodideVersion } : runtimeSpec,
    // Whether SIGINT was ignored at the start, seen only by the shell (see inheritedSigintShell);
    // NODE_EXTRA_CA_CERTS deferred only for the bundled runtime: a pyodide@X runtime missing from
    // the cache is fetched again by the launcher's own process with Node's fetch, which trusts
    // only what Node loaded at start.
    launcher: { node: process.execPath, script: venvLauncherScript, preamble: [inheritedSigintShell, ...(runtimeSpec.kind === "bundled" ? [deferExtraCaCertsShell] : [])] },
    kilnVersion: options.kilnVersion,
    ...(options.clear ? { clear: true } : {}),
    ...(options.prompt ? { prompt: options.prompt } : {}),
  });
  return { venv, description };
}
