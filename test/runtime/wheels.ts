import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { hostPython } from "../support/host-python.js";
import { repoRoot } from "./support.js";

/** Where test wheels from the public index are cached between runs (gitignored). */
export const wheelCache = join(repoRoot, ".cache", "wheels");

/**
 * Downloads a real wheel from the public index with pip (once; then from the cache) and returns
 * its path. `platform` selects a binary wheel for a WASM platform tag.
 */
export function downloadWheel(requirement: string, options: { platform?: string; pythonVersion?: string; abi?: string } = {}): string {
  const name = requirement.split(/[=<>!~ ]/)[0]!.toLowerCase().replaceAll("-", "_");
  const directory = join(wheelCache, options.platform ?? "pure");
  const find = () => readdirSync(directory).find((file) => file.toLowerCase().startsWith(`${name}-`) && file.endsWith(".whl"));
  mkdirSync(directory, { recursive: true });
  const cached = existsSync(directory) ? find() : undefined;
  if (cached) return join(directory, cached);
  const args = ["-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check", "-d", directory, requirement];
  if (options.platform) {
    args.push("--platform", options.platform, "--python-version", options.pythonVersion ?? "3.14", "--implementation", "cp", "--abi", options.abi ?? "cp314");
  }
  const result = spawnSync(hostPython, args, { encoding: "utf8", timeout: 300_000 });
  if (result.status !== 0) throw new Error(`pip download ${requirement} failed:\n${result.stderr}`);
  const found = find();
  if (!found) throw new Error(`pip download ${requirement} left no wheel in ${directory}`);
  return join(directory, found);
}

/** Unpacks a wheel into a directory (site-packages) with Python's zipfile, as a plain installer would. */
export function unpackWheel(wheel: string, target: string): void {
  const result = spawnSync(hostPython, ["-m", "zipfile", "-e", wheel, target], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`Cannot unpack ${wheel}: ${result.stderr}`);
}
