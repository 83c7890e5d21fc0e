import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { hostPython } from "../support/host-python.js";

/** Where test setup caches sdists downloaded from the public index (gitignored). */
export const sdistCache = fileURLToPath(new URL("../../.cache/sdists", import.meta.url));

/** Real pure-Python sdists, one per common backend, pinned so results do not drift. */
export const realSdists = {
  setuptools: { requirement: "six==1.17.0", file: "six-1.17.0.tar.gz" },
  "flit-core": { requirement: "tomli==2.2.1", file: "tomli-2.2.1.tar.gz" },
  hatchling: { requirement: "iniconfig==2.1.0", file: "iniconfig-2.1.0.tar.gz" },
  "pdm-backend": { requirement: "unearth==0.18.0", file: "unearth-0.18.0.tar.gz" },
  "poetry-core": { requirement: "tomlkit==0.13.3", file: "tomlkit-0.13.3.tar.gz" },
} as const;

/**
 * The path of a real sdist from the public index, downloaded with `pip download` on first use.
 *
 * @example
 * const path = realSdist("six-1.17.0.tar.gz", "six==1.17.0");
 */
export function realSdist(file: string, requirement: string): string {
  const path = join(sdistCache, file);
  if (existsSync(path)) return path;
  mkdirSync(sdistCache, { recursive: true });
  const result = spawnSync(
    hostPython,
    ["-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps", "--no-binary=:all:", "-d", sdistCache, requirement],
    { encoding: "utf8", timeout: 300_000 },
  );
  if (result.status !== 0 || !existsSync(path)) {
    throw new Error(`Cannot download ${requirement} for the tests (pip exited ${result.status}):\n${result.stderr}\nfound: ${readdirSync(sdistCache).join(", ")}`);
  }
  return path;
}
