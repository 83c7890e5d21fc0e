import type { StartupConfig } from "./startup-config.js";

/** Bump when kiln changes what goes into a snapshot in a way the other inputs do not capture. */
const snapshotFormat = 1;

/**
 * The full key of a memory snapshot: everything that, if different, makes a snapshot unusable
 * (runtime build, start-up options and variables, kiln's own Python driver, the standard library's
 * archive when it is not the runtime's own).
 *
 * @example
 * snapshotKey({ buildIdentity: files.buildIdentity, startup: { args: [], env: {} }, driverSource: kilnMainSource });
 */
export function snapshotKey(options: { buildIdentity: string; startup: StartupConfig; driverSource: string; stdlib?: string }): string {
  return JSON.stringify({
    format: snapshotFormat,
    build: options.buildIdentity,
    args: options.startup.args,
    env: options.startup.env,
    driver: hashString(options.driverSource),
    // A snapshot holds zipimport's index of the standard library's archive: it fits that archive only.
    ...(options.stdlib === undefined ? {} : { stdlib: options.stdlib }),
  });
}

/**
 * A short name for a key, safe as a file name. Collisions are harmless: the file records its full
 * key and is refused when it does not match.
 *
 * @example
 * snapshotName(key); // "snapshot-1f3a9c0e2b7d4"
 */
export function snapshotName(key: string): string {
  return `snapshot-${hashString(key)}`;
}

/**
 * The runtime build a snapshot key is for (see {@link snapshotKey}); for a preload snapshot's key,
 * that of the runtime snapshot it was made from (`preloadKey` wraps that key as `preload.base`).
 * Undefined for a key of neither shape.
 *
 * @example
 * snapshotBuildIdentity(snapshotKey({ buildIdentity: "0.29.0|/x|…", startup, driverSource })); // "0.29.0|/x|…"
 */
export function snapshotBuildIdentity(key: string): string | undefined {
  try {
    const parsed = JSON.parse(key) as { build?: unknown; preload?: { base?: unknown } };
    if (typeof parsed.build === "string") return parsed.build;
    return typeof parsed.preload?.base === "string" ? snapshotBuildIdentity(parsed.preload.base) : undefined;
  } catch {
    return undefined;
  }
}

/** A 53-bit string hash (cyrb53) as hex; for naming, not for security. */
export function hashString(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, "0");
}
