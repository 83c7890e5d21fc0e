import { digestHex } from "../cache/index.js";
import type { DirectUrl } from "../installer/index.js";
import { buildDistribution } from "./build-distribution.js";
import { buildSdistWheel } from "./build-sdist-wheel.js";
import type { BuildSessionOptions } from "./build-session.js";

/** Something local an installer builds before installing: a project directory or an sdist's bytes. */
export type SourceToInstall =
  | {
      kind: "directory";
      /** Absolute path of the project. */
      path: string;
      /** Its `file:` URL, as `direct_url.json` records it. */
      url: string;
      /** PEP 660: install it so that it imports from the source tree. */
      editable?: boolean;
    }
  | {
      kind: "sdist";
      bytes: Uint8Array;
      /** Such as `tomli-2.2.1.tar.gz`. */
      filename: string;
      /** Where it came from (`file:` or `https:`), as `direct_url.json` records it. */
      url: string;
    };

/** Options for {@link buildForInstall}. */
export interface BuildForInstallOptions extends Omit<BuildSessionOptions, "projectDir" | "label"> {
  /** Where wheels built from sdists are kept, one directory per sdist sha256 (`<kiln cache>/built-wheels`). */
  wheelCache: string;
}

/** A wheel built for installing, with the PEP 610 data of what it was built from. */
export interface WheelForInstall {
  /** Absolute path of the wheel: under `workDir` for a directory (the caller removes it), in the cache for an sdist. */
  path: string;
  filename: string;
  /** `direct_url.json` as pip writes it: `dir_info` (editable or not) or `archive_info` with the sdist's hash. */
  directUrl: DirectUrl;
}

/**
 * Builds the wheel `pip install` installs for a local project or an sdist, as pip does: a
 * directory is built straight to a wheel in a fresh build environment (PEP 517 `build_wheel`, or
 * PEP 660 `build_editable` for `-e`, which fails clearly when the backend lacks it); an sdist's
 * wheel comes from the built-wheel cache (keyed by the sdist's sha256) or is built once. Only a
 * pure-Python wheel is returned; a project that needs a compiler is refused.
 *
 * @example
 * const built = await buildForInstall({ kind: "directory", path: "/src/demo", url: "file:///src/demo", editable: true },
 *   { environment, runner, workDir, wheelCache });
 * built.directUrl; // { url: "file:///src/demo", dir_info: { editable: true } }
 */
export async function buildForInstall(source: SourceToInstall, options: BuildForInstallOptions): Promise<WheelForInstall> {
  if (source.kind === "sdist") {
    const built = await buildSdistWheel({ ...options, sdist: source.bytes, filename: source.filename });
    const sha256 = built.sdistSha256;
    return { path: built.path, filename: built.filename, directUrl: { url: source.url, archive_info: { hash: `sha256=${sha256}`, hashes: { sha256 } } } };
  }
  const kind = source.editable ? "editable" : "wheel";
  const built = await buildDistribution({
    ...options,
    kind,
    projectDir: source.path,
    outputDir: `${options.workDir}/wheel`,
    workDir: `${options.workDir}/build-${(await digestHex("sha256", new TextEncoder().encode(source.path))).slice(0, 12)}`,
  });
  return { path: built.path, filename: built.filename, directUrl: { url: source.url, dir_info: source.editable ? { editable: true } : {} } };
}
