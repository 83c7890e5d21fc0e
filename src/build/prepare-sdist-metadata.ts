import { digestHex } from "../cache/index.js";
import { isKilnError, KilnError } from "../core/index.js";
import { formatVersion } from "../pep440/index.js";
import { tryParseSdistFilename } from "../wheel-name/index.js";
import { BuildSession, readText, type BuildSessionOptions } from "./build-session.js";
import { extractSdist } from "./extract-sdist.js";

/** Options for {@link prepareSdistMetadata}. */
export interface PrepareSdistMetadataOptions extends Omit<BuildSessionOptions, "projectDir"> {
  sdist: Uint8Array;
  /** The sdist's file name, such as `tomli-2.2.1.tar.gz`. */
  filename: string;
  /** The built-wheel cache (`<kiln cache>/built-wheels`); the metadata is kept beside the wheel. */
  wheelCache: string;
}

/**
 * The core metadata (`METADATA` text) of the wheel an sdist would build, as a resolver needs it
 * for an sdist-only version: from the cache (keyed by the sdist's sha256), else from the
 * backend's `prepare_metadata_for_build_wheel` in the WASM runtime (for backends without that
 * hook the runner builds the wheel and reads its `.dist-info`). Projects that can only build
 * compiled code are refused before anything runs, and the refusal is cached like the metadata.
 *
 * @example
 * const metadata = await prepareSdistMetadata({ sdist: bytes, filename: "six-1.17.0.tar.gz",
 *   wheelCache: `${cacheDir}/built-wheels`, environment, runner, workDir });
 */
export async function prepareSdistMetadata(options: PrepareSdistMetadataOptions): Promise<string> {
  const fs = options.environment.fs;
  const cacheDir = `${options.wheelCache}/${await digestHex("sha256", options.sdist)}`;
  const cached = await readText(fs, `${cacheDir}/METADATA`);
  if (cached !== undefined) return cached;
  const refused = await readText(fs, `${cacheDir}/NATIVE.json`);
  if (refused !== undefined) {
    const { message, hint } = JSON.parse(refused) as { message: string; hint?: string };
    throw new KilnError("nativeBuildUnsupported", message, hint === undefined ? {} : { hint });
  }
  const name = tryParseSdistFilename(options.filename);
  const label = options.label ?? (name ? `${name.name} ${formatVersion(name.version)}` : options.filename);
  try {
    const projectDir = await extractSdist(options.sdist, { filename: options.filename, destination: `${options.workDir}/sdist`, fs });
    const session = await BuildSession.open({ ...options, label, projectDir, workDir: `${options.workDir}/build` });
    await session.prepare("wheel");
    const result = (await session.call("prepare_metadata_for_build_wheel", { metadata_directory: session.outputDir })) as { distInfo?: unknown; wheel?: unknown };
    if (typeof result?.distInfo !== "string" || !/^[^/]+\.dist-info$/.test(result.distInfo)) {
      throw new KilnError("buildBackendFailed", `Cannot read the metadata of ${label}: prepare_metadata_for_build_wheel returned ${JSON.stringify(result?.distInfo)}`, {
        hint: "The build backend is broken; report it to its authors",
      });
    }
    const metadata = await readText(fs, `${session.outputDir}/${result.distInfo}/METADATA`);
    if (metadata === undefined) {
      throw new KilnError("buildBackendFailed", `Cannot read the metadata of ${label}: ${result.distInfo} has no METADATA file`, {
        hint: "The build backend is broken; report it to its authors",
      });
    }
    await writeAtomically(fs, `${cacheDir}/METADATA`, metadata);
    return metadata;
  } catch (error) {
    // A refusal is remembered too: resolutions meet the same native sdist again and again.
    if (isKilnError(error, "nativeBuildUnsupported")) await writeAtomically(fs, `${cacheDir}/NATIVE.json`, JSON.stringify({ message: error.message, hint: error.hint }));
    throw error;
  } finally {
    await fs.remove(options.workDir, { recursive: true });
  }
}

async function writeAtomically(fs: PrepareSdistMetadataOptions["environment"]["fs"], path: string, text: string): Promise<void> {
  await fs.mkdir(path.slice(0, path.lastIndexOf("/")));
  const temporary = `${path}.${crypto.randomUUID()}`;
  await fs.writeFile(temporary, new TextEncoder().encode(text));
  await fs.rename(temporary, path);
}
