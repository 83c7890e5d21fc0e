import { join } from "node:path";
import { UnpackedWheelCache } from "../installer/index.js";
import { kilnCacheFolders } from "./kiln-cache-folders.js";
import { tagKilnCacheDirectory } from "./node-cache-store.js";
import { nodeFileSystem } from "./node-file-system.js";

/**
 * The unpacked-wheel cache inside kiln's cache directory (`<cacheDir>/unpacked-v1`), on the real
 * file system; the directory is tagged as kiln's cache so `kiln cache clean` may delete it.
 *
 * @example
 * const wheelCache = await nodeUnpackedWheelCache(kilnCacheDir(process.env));
 * await installWheels(wheels, { scheme, fs: nodeFileSystem(), wheelCache });
 */
export async function nodeUnpackedWheelCache(cacheDir: string): Promise<UnpackedWheelCache> {
  await tagKilnCacheDirectory(cacheDir);
  return new UnpackedWheelCache({ fs: nodeFileSystem(), root: join(cacheDir, kilnCacheFolders.unpackedWheels) });
}
