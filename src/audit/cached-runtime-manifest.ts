import { computeRuntimeManifest, type RuntimeManifest, type RuntimePackageFiles } from "./runtime-manifest.js";

/** Where computed manifests are kept between runs (a directory, IndexedDB…); keys are file-name safe. */
export interface ManifestCache {
  read(key: string): Promise<string | undefined>;
  write(key: string, text: string): Promise<void>;
}

/** Bumped when the manifest's shape or the way it is computed changes. */
const manifestFormat = 1;

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
  if (cached) {
    try {
      const parsed = JSON.parse(cached) as RuntimeManifest;
      if (parsed.schema === 1 && parsed.version === identity.version) return parsed;
    } catch {
      // A damaged cache entry is recomputed below.
    }
  }
  const manifest = await computeRuntimeManifest(await load());
  await cache?.write(key, JSON.stringify(manifest));
  return manifest;
}
