import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";

/** Where kiln is running, for {@link kilnCacheDir}; defaults to this process. */
export interface CacheDirContext {
  platform?: NodeJS.Platform;
  home?: string;
  cwd?: string;
}

/**
 * kiln's cache root, shared by every part of kiln (index pages, wheels, runtime snapshots):
 * `KILN_CACHE_DIR`, else `$XDG_CACHE_HOME/kiln`, else the platform's cache directory
 * (`~/Library/Caches/kiln` on macOS, `%LOCALAPPDATA%\kiln\cache` on Windows, `~/.cache/kiln`
 * elsewhere). A relative `KILN_CACHE_DIR` is taken relative to the working directory; a
 * relative `XDG_CACHE_HOME` is ignored, as the XDG spec requires.
 *
 * @example
 * kilnCacheDir(process.env); // "/home/me/.cache/kiln"
 */
export function kilnCacheDir(env: Record<string, string | undefined>, context: CacheDirContext = {}): string {
  const platform = context.platform ?? process.platform;
  const home = context.home ?? homedir();
  if (env.KILN_CACHE_DIR) return resolve(context.cwd ?? process.cwd(), env.KILN_CACHE_DIR);
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME, "kiln");
  if (platform === "darwin") return join(home, "Library", "Caches", "kiln");
  if (platform === "win32") return join(env.LOCALAPPDATA ?? join(home, "AppData", "Local"), "kiln", "cache");
  return join(home, ".cache", "kiln");
}
