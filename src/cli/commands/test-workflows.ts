import { buildDistribution, runtimeHookRunner } from "../../build/index.js";
import { KilnError, type Reporter } from "../../core/index.js";
import { applyInstallPlan, planInstall, targetForVenv, venvScheme } from "../../installer/index.js";
import type { ProjectTestHost } from "../../project/index.js";
import { kilnCacheDir } from "../../platform/kiln-cache-dir.js";
import { nodeFileSystem } from "../../platform/node-file-system.js";
import { nodeLocalFiles } from "../../platform/node.js";
import { createNodeRuntimeHost } from "../../platform/node-runtime-host.js";
import { targetForAbi } from "../../resolver/index.js";
import type { CommandContext } from "../command.js";
import { openPackageSource } from "../index-options.js";

/**
 * The build and install workflows `kiln test` runs, wired as `kiln build` and `kiln pip install`
 * wire them: the PEP 517 backend in the WASM runtime with build requirements from the command's
 * index, and pip's resolve-then-install into the fresh environment.
 *
 * @example
 * const { buildWheel, install } = await createTestWorkflows(context, { reporter, verbose: false });
 */
export async function createTestWorkflows(
  context: CommandContext,
  options: { reporter: Reporter; verbose: boolean },
): Promise<Pick<ProjectTestHost, "buildWheel" | "install">> {
  const fs = nodeFileSystem();
  const { source, session } = await openPackageSource(context, { reporter: options.reporter });
  const given = context.arguments.options;
  const cacheDir = kilnCacheDir(typeof given["cache-dir"] === "string" ? { ...context.env, KILN_CACHE_DIR: given["cache-dir"] } : context.env, { cwd: context.cwd });
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
        environment: { source, target: targetForAbi(undefined), fs },
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
  const install: ProjectTestHost["install"] = async ({ environment, requirements }) => {
    const venv = environment.venv;
    const target = targetForVenv(venv);
    const plan = await planInstall({ requirements }, { source, target, installed: [], direct: { session, localFiles: nodeLocalFiles }, reporter: options.reporter });
    if (plan.kind === "unsatisfiable") {
      throw new KilnError("noSolution", `Cannot install the test requirements for ${target.platformTags[0]} (Python ${target.pythonVersion}):\n${plan.explanation}`, {
        ...(plan.hints.length ? { hint: plan.hints.join("\n      ") } : {}),
      });
    }
    await applyInstallPlan(plan.packages, { source: plan.source, scheme: venvScheme(venv.prefix, venv.pythonVersion), fs, reporter: options.reporter });
  };
  return { buildWheel, install };
}
