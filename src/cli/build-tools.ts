import { randomUUID } from "node:crypto";
import type { BuildEnvironmentOptions, HookRunner } from "../build/index.js";
import type { Reporter } from "../core/index.js";
import type { PackageSource } from "../index/index.js";
import { kilnCacheDir } from "../platform/kiln-cache-dir.js";
import { kilnCacheFolders } from "../platform/kiln-cache-folders.js";
import { nodeFileSystem } from "../platform/node-file-system.js";
import { targetForAbi, type TargetEnvironment } from "../resolver/index.js";
import type { CommandContext } from "./command.js";

/** What a command needs to run PEP 517 builds: the runner, the build environments' source and target, scratch and cache paths. */
export interface BuildTools {
  runner: HookRunner;
  environment: BuildEnvironmentOptions;
  /** kiln's cache directory (builds need scratch space even with --no-cache). */
  cacheDir: string;
  /** Where wheels built from sdists are kept, by the sdist's sha256. */
  wheelCache: string;
  /** A fresh scratch directory path for one build (not created). */
  scratch(): string;
  /** Prints the backend output held back in quiet mode (after a failure). */
  flushOutput(): void;
}

/** What {@link buildTools} builds with. */
export interface BuildToolsOptions {
  source: PackageSource;
  verbose: boolean;
  reporter?: Reporter;
  /** The target, when the command has resolved one (default: `--runtime`'s ABI). */
  target?: TargetEnvironment;
}

/**
 * Sets up builds for a command: hooks run in the embedded runtime, whose tags decide the build
 * requirements' wheels (`--runtime` when the command has it); backend output is shown live with
 * `-v`, else held back and shown only when the build fails.
 *
 * @example
 * const tools = buildTools(context, { source, verbose: false });
 * await buildDistribution({ kind: "wheel", projectDir, outputDir, environment: tools.environment, runner: tools.runner, workDir: tools.scratch() });
 */
export function buildTools(context: CommandContext, options: BuildToolsOptions): BuildTools {
  const given = context.arguments.options;
  const fs = nodeFileSystem();
  const cacheOption = typeof given["cache-dir"] === "string" ? given["cache-dir"] : undefined;
  const cacheDir = kilnCacheDir(cacheOption ? { ...context.env, KILN_CACHE_DIR: cacheOption } : context.env, { cwd: context.cwd });
  const held: string[] = [];
  const onOutput = (_fd: 1 | 2, text: string) => (options.verbose ? context.output.stderr.write(text) : held.push(text));
  // The build layer and the runtime load on the first hook call: most installs build nothing, and
  // those modules are a large part of what `kiln pip install` would otherwise load.
  let loaded: Promise<HookRunner> | undefined;
  const load = async () => {
    const [{ runtimeHookRunner }, { createNodeRuntimeHost }] = await Promise.all([import("../build/index.js"), import("../platform/node-runtime-host.js")]);
    return runtimeHookRunner({ host: createNodeRuntimeHost({ env: context.env, cwd: context.cwd, cacheDir }), fs, onOutput });
  };
  const runner: HookRunner = { run: async (request, environment) => (await (loaded ??= load())).run(request, environment) };
  const environment: BuildEnvironmentOptions = {
    source: options.source,
    target: options.target ?? targetForAbi(typeof given.runtime === "string" ? given.runtime : undefined),
    fs,
    ...(options.reporter ? { reporter: options.reporter } : {}),
  };
  return {
    runner,
    environment,
    cacheDir,
    wheelCache: `${cacheDir}/${kilnCacheFolders.builtWheels}`,
    scratch: () => `${cacheDir}/${kilnCacheFolders.builds}/${process.pid}-${randomUUID()}`,
    flushOutput() {
      if (held.length) context.output.stderr.write(`${held.join("").trimEnd()}\n`);
      held.length = 0;
    },
  };
}
