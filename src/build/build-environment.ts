import { KilnError, silentReporter, type Reporter } from "../core/index.js";
import type { PackageSource } from "../index/index.js";
import { installWheels, venvScheme, type InstallFileSystem, type InstallScheme, type WheelToInstall } from "../installer/index.js";
import { formatVersion } from "../pep440/index.js";
import { resolveRequirements, type TargetEnvironment } from "../resolver/index.js";

/** Where build requirements come from and go to. */
export interface BuildEnvironmentOptions {
  source: PackageSource;
  /** The runtime the build runs in: its Python and wheel tags decide which wheels are installed. */
  target: TargetEnvironment;
  fs: InstallFileSystem;
  /** Extra constraints for build requirements (like pip's PIP_CONSTRAINT for build isolation). */
  constraints?: readonly string[];
  reporter?: Reporter;
}

/**
 * An isolated environment for one build (PEP 517 "build isolation"): an empty virtual-environment
 * layout under kiln's cache, into which the build requirements are installed with kiln's own
 * resolver and installer. Requirements are added in rounds (`requires`, then what
 * `get_requires_for_build_*` returns); each round resolves everything asked for so far, so
 * versions stay consistent, and installs only what changed.
 *
 * @example
 * const environment = new BuildEnvironment("/home/me/.cache/kiln/build/env-1", { source, target, fs });
 * await environment.install(["setuptools>=40.8.0"]);
 * environment.scheme.purelib; // put on sys.path of the hook runner
 */
export class BuildEnvironment {
  readonly scheme: InstallScheme;
  readonly requirements: string[] = [];
  /** Normalized name → installed version. */
  readonly installed = new Map<string, string>();
  private readonly options: BuildEnvironmentOptions;

  constructor(readonly directory: string, options: BuildEnvironmentOptions) {
    const [major, minor] = options.target.pythonVersion.split(".");
    this.scheme = venvScheme(directory, `${major}.${minor}`);
    this.options = options;
  }

  /**
   * Adds requirements and installs what they need. An unsatisfiable set is a
   * `buildEnvironmentFailed` error carrying the resolver's explanation.
   */
  async install(requirements: readonly string[], why = "the build requirements"): Promise<void> {
    const added = requirements.filter((r) => !this.requirements.includes(r));
    if (added.length === 0 && this.requirements.length > 0) return;
    this.requirements.push(...added);
    const reporter = this.options.reporter ?? silentReporter;
    await this.options.fs.mkdir(this.scheme.purelib);
    if (this.requirements.length === 0) return;
    const result = await resolveRequirements(this.requirements, {
      source: this.options.source,
      target: this.options.target,
      preferences: this.installed,
      reporter,
      ...(this.options.constraints ? { constraints: this.options.constraints } : {}),
    });
    if (result.kind === "unsatisfiable") {
      throw new KilnError("buildEnvironmentFailed", `Cannot install ${why} (${added.join(", ")}) for the WASM runtime:\n${result.explanation}`, {
        hint: result.hints.length ? result.hints.join("\n      ") : "Build requirements must be available as wheels for the runtime",
      });
    }
    const wanted = result.packages.filter((p) => this.installed.get(p.name) !== formatVersion(p.version));
    const wheels: WheelToInstall[] = [];
    for (const item of wanted) {
      const file = item.wheels[0]!;
      reporter.debug(`Fetching build requirement ${file.filename}`);
      wheels.push({ wheel: await this.options.source.fetchFile(file), filename: file.filename, expectedHashes: file.hashes });
    }
    if (wheels.length) await installWheels(wheels, { scheme: this.scheme, fs: this.options.fs, reporter });
    for (const item of wanted) this.installed.set(item.name, formatVersion(item.version));
  }

  /** Removes the environment's files. */
  async remove(): Promise<void> {
    await this.options.fs.remove(this.directory, { recursive: true });
  }
}
