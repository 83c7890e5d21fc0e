import { buildDistribution, runtimeHookRunner } from "../../build/index.js";
import { KilnError, type Reporter } from "../../core/index.js";
import { applyInstallPlan, planInstall, targetForVenv, venvScheme, type PlanInstallResult } from "../../installer/index.js";
import type { ProjectTestHost, TestResolution } from "../../project/index.js";
import { nodeFileSystem } from "../../platform/node-file-system.js";
import { nodeLocalFiles } from "../../platform/node.js";
import { createNodeRuntimeHost } from "../../platform/node-runtime-host.js";
import { targetForAbi, type TargetEnvironment } from "../../resolver/index.js";
import { formatRuntimeSetting, type RuntimeSpec } from "../../runtime/index.js";
import type { PackageSource } from "../../index/index.js";
import type { CommandContext } from "../command.js";
import { commandCacheDir } from "../command-cache-dir.js";
import { openPackageSource, packageSourceOf, targetAbiOf, type OpenedPackageSource } from "../index-options.js";

/**
 * The build and install workflows `kiln test` runs, wired as `kiln build` and `kiln pip install`
 * wire them: the PEP 517 backend in the WASM runtime with build requirements from the command's
 * index, and pip's resolve-then-install into the fresh environment, as two steps (the project
 * layer installs part of a resolution from a cached template).
 *
 * @example
 * const { buildWheel, resolve, install, cacheDir } = await createTestWorkflows(context, { reporter, verbose: false });
 */
export async function createTestWorkflows(
  context: CommandContext,
  options: { reporter: Reporter; verbose: boolean },
): Promise<Pick<ProjectTestHost, "buildWheel" | "resolve" | "install"> & { cacheDir: string }> {
  const fs = nodeFileSystem();
  // The build runs in the bundled runtime; each test environment resolves for its own runtime.
  const buildTarget = targetForAbi(undefined);
  const opened = await openPackageSource(context, { reporter: options.reporter, targetAbi: targetAbiOf(buildTarget) });
  const { source, session } = opened;
  const cacheDir = commandCacheDir(context);
  const sourceFor = sourcesByRuntime(opened, { first: source, firstTarget: buildTarget, cacheDir, env: context.env });
  const buildWheel: ProjectTestHost["buildWheel"] = async (request) => {
    const held: string[] = [];
    const onOutput = (_fd: 1 | 2, text: string) => (options.verbose ? context.output.stderr.write(text) : held.push(text));
    const host = createNodeRuntimeHost({ env: context.env, cwd: context.cwd, cacheDir });
    const runner = runtimeHookRunner({ host, fs, onOutput });
    try {
      const built = await buildDistribution({
        kind: "wheel",
        projectDir: request.projectDir,
        outputDir: request.outputDir,
        environment: { source, target: buildTarget, fs },
        runner,
        workDir: `${request.outputDir}.work`,
      });
      return built.path;
    } catch (error) {
      // The backend's output explains a failed build; a quiet run keeps it until then.
      if (held.length) context.output.stderr.write(`${held.join("").trimEnd()}\n`);
      throw error;
    }
  };
  const plans = new WeakMap<TestResolution, Extract<PlanInstallResult, { kind: "planned" }>>();
  const resolve: ProjectTestHost["resolve"] = async ({ environment, requirements }) => {
    const target = targetForVenv(environment.venv);
    const plan = await planInstall({ requirements }, { source: await sourceFor(target, environment.venv.runtime), target, installed: [], direct: { session, localFiles: nodeLocalFiles }, reporter: options.reporter });
    if (plan.kind === "unsatisfiable") {
      throw new KilnError("noSolution", `Cannot install the test requirements for ${target.platformTags[0]} (Python ${target.pythonVersion}):\n${plan.explanation}`, {
        ...(plan.hints.length ? { hint: plan.hints.join("\n      ") } : {}),
      });
    }
    const packages = plan.packages.map((p) => {
      const file = p.wheel!;
      const hashes = Object.entries(file.hashes).sort(([a], [b]) => (a < b ? -1 : 1));
      // The exact file, and what the installer writes beside it (REQUESTED, direct_url.json).
      const identity = JSON.stringify([file.filename, hashes, file.url, p.requested, p.direct]);
      return { name: p.name, version: p.version, identity };
    });
    const resolution = { packages };
    plans.set(resolution, plan);
    return resolution;
  };
  const install: ProjectTestHost["install"] = async ({ environment, resolution, names }) => {
    const plan = plans.get(resolution);
    if (!plan) throw new TypeError("install() takes a resolution made by resolve()");
    const venv = environment.venv;
    const packages = plan.packages.filter((p) => names.includes(p.name));
    await applyInstallPlan(packages, { source: plan.source, scheme: venvScheme(venv.prefix, venv.pythonVersion), fs, reporter: options.reporter });
  };
  return { buildWheel, resolve, install, cacheDir };
}

/**
 * The package source for each runtime of the matrix, over one HTTP session: each falls back to
 * its own runtime's Pyodide repository (a `pyodide@X` to X's, as `kiln pip` in an environment of
 * X), offered only to targets of that repository's ABI, since its shared libraries carry no wheel
 * tags that would keep them out of an environment of another runtime.
 */
function sourcesByRuntime(
  opened: OpenedPackageSource,
  options: { first: PackageSource; firstTarget: TargetEnvironment; cacheDir: string; env: Record<string, string | undefined> },
): (target: TargetEnvironment, runtime: RuntimeSpec | undefined) => Promise<PackageSource> {
  const keyOf = (abi: string, runtime: RuntimeSpec | undefined) => `${abi} ${formatRuntimeSetting(runtime ?? { kind: "bundled" })}`;
  const sources = new Map<string, Promise<PackageSource>>([[keyOf(targetAbiOf(options.firstTarget), undefined), Promise.resolve(options.first)]]);
  return (target, runtime) => {
    const abi = targetAbiOf(target);
    const key = keyOf(abi, runtime);
    let source = sources.get(key);
    if (!source) {
      const repositoryRuntime = runtime?.kind === "npm" ? { runtime: { spec: runtime, cacheDir: options.cacheDir, env: options.env } } : {};
      sources.set(key, (source = packageSourceOf(opened.settings, opened.session, { abi, ...repositoryRuntime })));
    }
    return source;
  };
}
