import type { DistributionFile } from "../index/index.js";
import type { LockedSet, LockedWheel } from "../lock/index.js";
import { formatVersion } from "../pep440/index.js";
import type { ResolvedPackage } from "./resolve-requirements.js";
import type { TargetEnvironment } from "./target-environment.js";

/** Options for {@link lockResolution}. */
export interface LockResolutionOptions {
  /** `created-by`; default `kiln`. */
  createdBy?: string;
  /** Keep every compatible wheel of each version (default), or only the one chosen for the target. */
  wheels?: "compatible" | "chosen";
  /** Top-level import names by the chosen wheel's URL ({@link readImports}). */
  imports?: ReadonlyMap<string, string[]>;
  /** File sizes by URL, for files whose index listed none (the server's answer, see `fetchFileSize`). */
  sizes?: ReadonlyMap<string, number>;
}

/**
 * A resolution as a format-neutral lock: packages by name with their compatible wheels (chosen
 * first), and the target's Python and platform as `requires-python` and an `environments` marker.
 *
 * @example
 * const text = formatPylock(lockResolution(result.packages, result.target));
 */
export function lockResolution(packages: readonly ResolvedPackage[], target: TargetEnvironment, options: LockResolutionOptions = {}): LockedSet {
  const marker = target.markerEnvironment;
  return {
    createdBy: options.createdBy ?? "kiln",
    requiresPython: `==${target.pythonVersion}`,
    environments: [
      `sys_platform == '${marker.sys_platform}' and platform_machine == '${marker.platform_machine}' and platform_release == '${marker.platform_release}' and python_full_version == '${marker.python_full_version}'`,
    ],
    packages: packages.map((resolved) => {
      const wheels = options.wheels === "chosen" ? resolved.wheels.slice(0, 1) : resolved.wheels;
      const first = wheels[0] ?? resolved.sdist;
      return {
        name: resolved.name,
        displayName: resolved.displayName,
        version: formatVersion(resolved.version),
        dependencies: resolved.dependencies,
        ...(first?.requiresPython ? { requiresPython: first.requiresPython } : {}),
        ...(first ? { index: first.indexUrl } : {}),
        ...(first && options.imports?.has(first.url) ? { imports: options.imports.get(first.url)! } : {}),
        ...(first?.pyodide ? { pyodide: { packageType: first.pyodide.packageType, installDir: first.pyodide.installDir } } : {}),
        wheels: wheels.map((wheel) => lockedFile(wheel, options.sizes)),
        ...(resolved.sdist ? { sdist: lockedFile(resolved.sdist, options.sizes) } : {}),
      };
    }),
  };
}

function lockedFile(file: DistributionFile, sizes: ReadonlyMap<string, number> | undefined): LockedWheel {
  const size = file.size ?? sizes?.get(file.url);
  return {
    filename: file.filename,
    url: file.url,
    hashes: { ...file.hashes },
    ...(size !== undefined ? { size } : {}),
    ...(file.uploadTime !== undefined ? { uploadTime: file.uploadTime } : {}),
  };
}
