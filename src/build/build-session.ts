import { KilnError } from "../core/index.js";
import { errorCode, type InstallFileSystem } from "../installer/index.js";
import { BuildEnvironment, type BuildEnvironmentOptions } from "./build-environment.js";
import { detectNativeBuild, type NativeBuildSignals } from "./detect-native-build.js";
import type { ConfigSettings, HookName, HookRequest } from "./hook-call.js";
import { hookFailureError } from "./hook-failure-error.js";
import type { HookRunner } from "./hook-runner.js";
import { nativeBuildError } from "./native-build-error.js";
import { parsePyproject, readBuildSystem, type BuildSystem } from "./read-build-system.js";

/** What a build needs from its caller. */
export interface BuildSessionOptions {
  /** Absolute path of the project's source tree. */
  projectDir: string;
  /** The project for messages: `tomli 2.2.1` or a path. */
  label?: string;
  configSettings?: ConfigSettings;
  environment: BuildEnvironmentOptions;
  runner: HookRunner;
  /** An absolute scratch directory for the build environment and temporary output; removed by {@link BuildSession.close}. */
  workDir: string;
}

/** The kinds of distribution PEP 517 and PEP 660 build. */
export type DistributionKind = "wheel" | "sdist" | "editable";

/**
 * One build of one source tree: reads `[build-system]`, refuses projects that can only build
 * compiled code, sets up the isolated build environment (`requires`, then
 * `get_requires_for_build_<kind>`) and calls hooks in it with the project's `config_settings`.
 *
 * @example
 * const session = await BuildSession.open({ projectDir, environment, runner, workDir });
 * try {
 *   await session.prepare("wheel");
 *   const name = await session.call("build_wheel", { wheel_directory: session.outputDir });
 * } finally {
 *   await session.close();
 * }
 */
export class BuildSession {
  readonly outputDir: string;
  readonly label: string;
  private readonly environment: BuildEnvironment;
  private calls = 0;

  private constructor(
    private readonly options: BuildSessionOptions,
    readonly buildSystem: BuildSystem,
    readonly signals: NativeBuildSignals,
  ) {
    this.label = options.label ?? options.projectDir;
    this.environment = new BuildEnvironment(`${options.workDir}/env`, options.environment);
    this.outputDir = `${options.workDir}/out`;
  }

  /** Reads the project and checks it can be built here; nothing is installed yet. */
  static async open(options: BuildSessionOptions): Promise<BuildSession> {
    const fs = options.environment.fs;
    const label = options.label ?? options.projectDir;
    const pyproject = await readText(fs, `${options.projectDir}/pyproject.toml`);
    const setupPy = await readText(fs, `${options.projectDir}/setup.py`);
    if (pyproject === undefined && setupPy === undefined) {
      const exists = await fs.stat(options.projectDir);
      throw new KilnError("invalidPyproject", `Cannot build "${options.projectDir}": ${exists?.kind === "directory" ? "it has no pyproject.toml or setup.py" : "no such directory"}`, {
        hint: "Point kiln build at a Python project's directory or an sdist (.tar.gz)",
      });
    }
    const buildSystem = readBuildSystem(pyproject, options.projectDir);
    const setupCfg = await readText(fs, `${options.projectDir}/setup.cfg`);
    const signals = detectNativeBuild({
      buildSystem,
      ...(pyproject === undefined ? {} : { pyproject: parsePyproject(pyproject, options.projectDir) }),
      ...(setupPy === undefined ? {} : { setupPy }),
      ...(setupCfg === undefined ? {} : { setupCfg }),
    });
    if (signals.certain.length) throw nativeBuildError(label, signals.certain);
    return new BuildSession(options, buildSystem, signals);
  }

  /** Installs `requires`, asks the backend what else a `kind` build needs, and installs that. */
  async prepare(kind: DistributionKind): Promise<void> {
    await this.options.environment.fs.mkdir(this.outputDir);
    await this.environment.install(this.buildSystem.requires, "the build requirements ([build-system] requires)");
    const extra = await this.call(`get_requires_for_build_${kind}`, {});
    if (!Array.isArray(extra) || extra.some((item) => typeof item !== "string")) {
      throw new KilnError("buildBackendFailed", `Cannot build ${this.label}: get_requires_for_build_${kind} returned ${JSON.stringify(extra)}, not a list of requirements`, {
        hint: "The build backend is broken; report it to its authors",
      });
    }
    await this.environment.install(extra as string[], `the requirements from get_requires_for_build_${kind}`);
  }

  /** Calls a hook in the build environment and returns its value; a failure is a clear error. */
  async call(hook: HookName, directories: Omit<HookRequest["arguments"], "config_settings">): Promise<unknown> {
    const request: HookRequest = {
      hook,
      backend: this.buildSystem.buildBackend,
      backendPath: this.buildSystem.backendPath,
      source: this.options.projectDir,
      arguments: { ...directories, ...(this.options.configSettings ? { config_settings: this.options.configSettings } : {}) },
      resultPath: `${this.options.workDir}/hook-${++this.calls}.json`,
    };
    const { scheme } = this.environment;
    const outcome = await this.options.runner.run(request, { prefix: scheme.prefix, sitePackages: scheme.purelib });
    if (!outcome.ok) throw hookFailureError({ project: this.label, request, outcome, signals: this.signals });
    return outcome.value;
  }

  /** Removes the build environment and any output still in the scratch directory. */
  async close(): Promise<void> {
    await this.options.environment.fs.remove(this.options.workDir, { recursive: true });
  }
}

/** A file's text, or undefined when it does not exist. */
export async function readText(fs: InstallFileSystem, path: string): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await fs.readFile(path));
  } catch (error) {
    const code = errorCode(error);
    if (code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR") return undefined;
    throw error;
  }
}
