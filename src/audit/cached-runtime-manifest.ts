import { computeRuntimeManifest, type RuntimeManifest, type RuntimePackageFiles } from "./runtime-manifest.js";

/** Where computed manifests are kept between runs (a directory, IndexedDB…); keys are file-name safe. */
export interface ManifestCache {
  read(key: string): Promise<string | undefined>;
  write(key: string, text: string): Promise<void>;
}

/** Bumped when the manifest's shape or the way it is computed changes. */
const manifestFormat = 1;

/**
 * Returns a runtime's manifest from the cache, computing and storing it on a miss. The key is
 * the runtime's name and version plus the sizes of its main module and loader, so a changed
 * package is recomputed.
 *
 * @example
 * const manifest = await cachedRuntimeManifest(files, cache);
 */
export async function cachedRuntimeManifest(files: RuntimePackageFiles, cache?: ManifestCache): Promise<RuntimeManifest> {
  const key = `${files.name}-${files.version}-${files.mainModule.length}-${files.loader.length}-v${manifestFormat}.json`.replace(/[^\w.-]/g, "_");
  const cached = await cache?.read(key);
  if (cached) {
    try {
      const parsed = JSON.parse(cached) as RuntimeManifest;
      if (parsed.schema === 1 && parsed.version === files.version) return parsed;
    } catch {
      // A damaged cache entry is recomputed below.
    }
  }
  const manifest = await computeRuntimeManifest(files);
  await cache?.write(key, JSON.stringify(manifest));
  return manifest;
}
