import { computeRuntimeManifest, type RuntimeManifest, type RuntimePackageFiles } from "./runtime-manifest.js";

/** Where computed manifests are kept between runs (a directory, IndexedDB…); keys are file-name safe. */
export interface ManifestCache {
  read(key: string): Promise<string | undefined>;
  write(key: string, text: string): Promise<void>;
}

/** Bumped when the manifest's shape, its cached form or the way it is computed changes. */
const manifestFormat = 2;

// The name lists (11 000 names for Pyodide 314) are cached as one newline-joined string each:
// JSON.parse reads a few long strings much faster than thousands of short ones, which every
// `kiln audit` would pay for. A list with an empty name or a newline in a name stays an array.
const nameLists = ["functions", "data", "tags", "globals", "javascript", "dynamicPrefixes", "sharedLibraries"] as const;

function packManifest(manifest: RuntimeManifest): string {
  const packed: Record<string, unknown> = { ...manifest };
  for (const key of nameLists) {
    const names = manifest[key];
    if (names.length > 0 && names.every((name) => name !== "" && !name.includes("\n"))) packed[key] = names.join("\n");
  }
  return JSON.stringify(packed);
}

/** The cached manifest, or undefined when the text is not one (damaged, or from another version). */
function unpackManifest(text: string, version: string): RuntimeManifest | undefined {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || parsed.schema !== 1 || parsed.version !== version) return undefined;
  for (const key of nameLists) {
    const value = parsed[key];
    if (typeof value === "string") parsed[key] = value.split("\n");
    else if (!Array.isArray(value)) return undefined;
  }
  return parsed as unknown as RuntimeManifest;
}

/** What identifies a runtime package cheaply (without reading its files): the cache key's parts. */
export interface RuntimePackageIdentity {
  name: string;
  version: string;
  /** Bytes in the main module (`pyodide.asm.wasm`) and in the loader script. */
  mainModuleSize: number;
  loaderSize: number;
}

/**
 * Returns a runtime's manifest from the cache, computing and storing it on a miss. The key is
 * the runtime's name and version plus the sizes of its main module and loader, so a changed
 * package is recomputed; the package's files are only read (`load`) on a miss, since reading a
 * 10 MB main module would cost more than the audit of a small wheel.
 *
 * @example
 * const manifest = await cachedRuntimeManifest({ name: "pyodide", version, mainModuleSize, loaderSize }, () => readPackage(dir), cache);
 */
export async function cachedRuntimeManifest(
  identity: RuntimePackageIdentity,
  load: () => Promise<RuntimePackageFiles>,
  cache?: ManifestCache,
): Promise<RuntimeManifest> {
  const key = `${identity.name}-${identity.version}-${identity.mainModuleSize}-${identity.loaderSize}-v${manifestFormat}.json`.replace(/[^\w.-]/g, "_");
  const cached = await cache?.read(key);
  // A damaged cache entry is recomputed below.
  const unpacked = cached ? unpackManifest(cached, identity.version) : undefined;
  if (unpacked) return unpacked;
  const manifest = await computeRuntimeManifest(await load());
  await cache?.write(key, packManifest(manifest));
  return manifest;
}
