import { join } from "node:path";
import {
  describeRuntime,
  hashString,
  startRuntime,
  type RuntimeDescription,
  type RuntimeFiles,
  type RuntimeHost,
  type RuntimeSpec,
} from "../runtime/index.js";
import { kilnCacheFolders } from "./kiln-cache-folders.js";
import { DirectoryBlobStore } from "./node-blob-store.js";

/** Bump when `describeRuntime` starts reporting something the cached entries lack. */
const descriptionFormat = 1;

/** A runtime's description and the files it was read from. */
export interface DescribedRuntime {
  description: RuntimeDescription;
  files: RuntimeFiles;
}

/**
 * What a runtime is (Python version, ABI, platform tags, markers, extension suffix), read once
 * per runtime build and kept in kiln's cache (`runtime-descriptions/`): a runtime build cannot
 * change what it reports, so making a venv need not start a runtime just to ask it. The entry is
 * keyed by the build's identity (`RuntimeFiles.buildIdentity`: version, directory, file sizes
 * and times) and kiln's version; a missing, unreadable or mismatched entry is read afresh from a
 * started runtime.
 *
 * @example
 * const { description } = await describeRuntimeCached(createNodeRuntimeHost(), { kind: "bundled" }, { kilnVersion });
 */
export async function describeRuntimeCached(
  host: RuntimeHost & { cacheDir: string },
  spec: RuntimeSpec,
  options: { kilnVersion: string },
): Promise<DescribedRuntime> {
  const files = await host.locateRuntime(spec);
  const key = JSON.stringify({ format: descriptionFormat, build: files.buildIdentity, kiln: options.kilnVersion });
  const store = new DirectoryBlobStore(join(host.cacheDir, kilnCacheFolders.runtimeDescriptions), { maxEntries: 16 });
  const name = `description-${hashString(key)}.json`;
  const cached = parseEntry(await store.read(name), key);
  if (cached) return { description: { ...cached, pyodideVersion: files.pyodideVersion }, files };
  const runtime = await startRuntime(host, { runtime: spec });
  const description = describeRuntime(runtime);
  await store.write(name, new TextEncoder().encode(JSON.stringify({ key, description }))).catch(() => undefined);
  return { description, files: runtime.files };
}

/**
 * The runtime build a stored description was read from (what `kiln cache prune` keeps them by),
 * or undefined for an entry that is not one.
 *
 * @example
 * runtimeDescriptionBuildIdentity(readFileSync(path)); // "0.29.0|/path/to/pyodide|…"
 */
export function runtimeDescriptionBuildIdentity(bytes: Uint8Array): string | undefined {
  try {
    const entry = JSON.parse(new TextDecoder().decode(bytes)) as { key?: unknown };
    const key = typeof entry.key === "string" ? (JSON.parse(entry.key) as { build?: unknown }) : undefined;
    return typeof key?.build === "string" ? key.build : undefined;
  } catch {
    return undefined;
  }
}

function parseEntry(bytes: Uint8Array | undefined, key: string): RuntimeDescription | undefined {
  if (bytes === undefined) return undefined;
  try {
    const entry = JSON.parse(new TextDecoder().decode(bytes)) as { key?: unknown; description?: Partial<RuntimeDescription> };
    const description = entry.description;
    if (entry.key !== key || typeof description !== "object" || description === null) return undefined;
    const complete =
      typeof description.pythonVersion === "string" &&
      Array.isArray(description.platformTags) &&
      typeof description.markerEnvironment === "object" &&
      typeof description.extSuffix === "string" &&
      typeof description.sysconfigPlatform === "string" &&
      typeof description.cacheTag === "string";
    // JSON has no undefined: a runtime that predates ABI versions stored none.
    return complete ? ({ ...description, abiVersion: description.abiVersion ?? undefined } as RuntimeDescription) : undefined;
  } catch {
    return undefined;
  }
}
