import { parseMarkerEnvironment } from "../pep508/index.js";
import type { RepositoryRuntime } from "../platform/node.js";
import { targetForAbi, type TargetEnvironment } from "../resolver/index.js";
import { parseRuntimeSetting } from "../runtime/virtual-environment.js";
import { commandCacheDir } from "./command-cache-dir.js";
import type { CommandContext } from "./command.js";

/** What a resolving command's `--runtime` names: the target, and whose Pyodide repository backs it. */
export interface ResolveTarget {
  target: TargetEnvironment;
  /** A `pyodide@X` runtime: its own repository is the fallback (see `packageSourceOf`). */
  runtime?: RepositoryRuntime;
}

/**
 * The target of `--runtime`: an ABI (`2025_0`) or platform tag gives the ABI table's target and
 * the embedded runtime's repository (which serves only its own ABI); a runtime (`pyodide@0.29.3`,
 * `pyodide@0.29.x`, `bundled`) is asked what it is (its description, cached per runtime build,
 * so only the first lock for a runtime starts it) and backs the resolution with its own Pyodide
 * repository, as an environment of that runtime would.
 *
 * @example
 * const { target, runtime } = await resolveTarget(context, "pyodide@0.29.x");
 */
export async function resolveTarget(context: CommandContext, value: string | undefined): Promise<ResolveTarget> {
  if (value === undefined || !/^\s*(pyodide@|bundled\s*$)/.test(value)) return { target: targetForAbi(value) };
  const spec = parseRuntimeSetting(value);
  const cacheDir = commandCacheDir(context);
  // Loaded only here: describing a runtime may start it, which most resolutions never need.
  const [{ describeRuntimeCached }, { createNodeRuntimeHost }, { kilnVersion }] = await Promise.all([
    import("../platform/node-runtime-description.js"),
    import("../platform/node-runtime-host.js"),
    import("./main.js"),
  ]);
  const host = createNodeRuntimeHost({ env: context.env, cwd: context.cwd, cacheDir, startProfiles: false });
  const { description } = await describeRuntimeCached(host, spec, { kilnVersion });
  const target: TargetEnvironment = {
    pythonVersion: description.pythonVersion,
    platformTags: description.platformTags,
    markerEnvironment: parseMarkerEnvironment(description.markerEnvironment, `Pyodide ${description.pyodideVersion}`),
  };
  return spec.kind === "npm" ? { target, runtime: { spec, cacheDir, env: context.env } } : { target };
}
