import { KilnError } from "../core/index.js";
import type { InstallFileSystem } from "../installer/index.js";
import { BuildSession, type BuildSessionOptions, type DistributionKind } from "./build-session.js";
import { impureWheelReasons } from "./impure-wheel-reasons.js";
import { nativeBuildError } from "./native-build-error.js";

/** Options for {@link buildDistribution}. */
export interface BuildDistributionOptions extends BuildSessionOptions {
  kind: DistributionKind;
  /** Absolute directory the built file is written to (created when missing). */
  outputDir: string;
}

/** A file a build produced. */
export interface BuiltDistribution {
  /** Absolute path in the output directory. */
  path: string;
  filename: string;
}

/**
 * Builds a wheel, an sdist or an editable wheel (PEP 660) of a source tree with its PEP 517
 * backend, in the WASM runtime, in a fresh isolated build environment. A built wheel reaches the
 * output directory only if it is pure Python ({@link impureWheelReasons}); otherwise the build
 * fails with {@link nativeBuildError}. Nothing is left behind on failure.
 *
 * @example
 * const { path } = await buildDistribution({ kind: "wheel", projectDir: "/src/tomli", outputDir: "/src/tomli/dist",
 *   environment: { source, target, fs }, runner, workDir: "/home/me/.cache/kiln/build/1" });
 */
export async function buildDistribution(options: BuildDistributionOptions): Promise<BuiltDistribution> {
  const session = await BuildSession.open(options);
  const fs = options.environment.fs;
  try {
    await session.prepare(options.kind);
    const directory = options.kind === "sdist" ? { sdist_directory: session.outputDir } : { wheel_directory: session.outputDir };
    const filename = await session.call(`build_${options.kind}`, directory);
    if (typeof filename !== "string" || filename.includes("/") || filename === "" || filename.startsWith(".")) {
      throw new KilnError("buildBackendFailed", `Cannot build ${session.label}: build_${options.kind} returned ${JSON.stringify(filename)}, not a file name`, {
        hint: "The build backend is broken; report it to its authors",
      });
    }
    const built = `${session.outputDir}/${filename}`;
    if (options.kind !== "sdist") {
      const reasons = await impureWheelReasons(await fs.readFile(built), filename);
      if (reasons.length) throw nativeBuildError(session.label, [...reasons, ...session.signals.likely]);
    }
    await fs.mkdir(options.outputDir);
    const path = `${options.outputDir}/${filename}`;
    await moveFile(fs, built, path);
    return { path, filename };
  } finally {
    await session.close();
  }
}

/** Renames, or copies when the scratch directory is on another file system. */
async function moveFile(fs: InstallFileSystem, from: string, to: string): Promise<void> {
  try {
    await fs.rename(from, to);
  } catch {
    const temporary = `${to}.kiln-${crypto.randomUUID()}`;
    await fs.writeFile(temporary, await fs.readFile(from));
    await fs.rename(temporary, to);
  }
}
