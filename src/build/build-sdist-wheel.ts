import { digestHex } from "../cache/index.js";
import { formatVersion } from "../pep440/index.js";
import { tryParseSdistFilename } from "../wheel-name/index.js";
import { buildDistribution, type BuiltDistribution } from "./build-distribution.js";
import type { BuildSessionOptions } from "./build-session.js";
import { extractSdist } from "./extract-sdist.js";

/** Options for {@link buildSdistWheel}. */
export interface BuildSdistWheelOptions extends Omit<BuildSessionOptions, "projectDir"> {
  sdist: Uint8Array;
  /** The sdist's file name, such as `tomli-2.2.1.tar.gz`. */
  filename: string;
  /** Where built wheels are kept, one directory per sdist sha256 (`<kiln cache>/built-wheels`). */
  wheelCache: string;
}

/** A wheel built from an sdist, and whether it came from the cache. */
export interface SdistWheel extends BuiltDistribution {
  sdistSha256: string;
  cached: boolean;
}

/**
 * Builds the wheel of an sdist, or takes it from the cache: built wheels are kept under the
 * sdist's sha256, so the same bytes are built once, and different bytes under the same name
 * never share a wheel. `config_settings` are part of the key too, since they change the build.
 *
 * @example
 * const wheel = await buildSdistWheel({ sdist: bytes, filename: "tomli-2.2.1.tar.gz",
 *   wheelCache: `${cacheDir}/built-wheels`, environment, runner, workDir });
 */
export async function buildSdistWheel(options: BuildSdistWheelOptions): Promise<SdistWheel> {
  const fs = options.environment.fs;
  const sdistSha256 = await digestHex("sha256", options.sdist);
  const settings = options.configSettings && Object.keys(options.configSettings).length ? `-${(await digestHex("sha256", new TextEncoder().encode(JSON.stringify(options.configSettings)))).slice(0, 16)}` : "";
  const cacheDir = `${options.wheelCache}/${sdistSha256}${settings}`;
  const cached = (await fs.exists(cacheDir)) ? (await fs.list(cacheDir)).filter((name) => name.endsWith(".whl")).sort() : [];
  if (cached.length) return { path: `${cacheDir}/${cached[0]}`, filename: cached[0]!, sdistSha256, cached: true };
  const name = tryParseSdistFilename(options.filename);
  const label = options.label ?? (name ? `${name.name} ${formatVersion(name.version)}` : options.filename);
  const source = `${options.workDir}/sdist`;
  try {
    const projectDir = await extractSdist(options.sdist, { filename: options.filename, destination: source, fs });
    const built = await buildDistribution({ ...options, label, projectDir, kind: "wheel", outputDir: cacheDir, workDir: `${options.workDir}/build` });
    return { ...built, sdistSha256, cached: false };
  } finally {
    await fs.remove(options.workDir, { recursive: true });
  }
}
