import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { unzipSync } from "fflate";
import { hostPython } from "./host-python.js";

/** Where downloaded real wheels are cached (gitignored). */
export const wheelCache = fileURLToPath(new URL("../../.cache/wasm-wheels/", import.meta.url));

/** What to ask pip for: a project and the wasm platform/Python/ABI it was built for. */
export interface WasmWheelRequest {
  project: string;
  version?: string;
  platform?: string;
  pythonVersion?: string;
  abi?: string;
}

/**
 * Downloads one real wasm wheel from the public index with `pip download` (once; later calls
 * reuse the cache) and returns its path.
 *
 * @example
 * const wheel = downloadWasmWheel({ project: "pydantic-core" });
 */
export function downloadWasmWheel(request: WasmWheelRequest): string {
  const platform = request.platform ?? "pyemscripten_2026_0_wasm32";
  const python = request.pythonVersion ?? "3.14";
  const abi = request.abi ?? `cp${python.replace(".", "")}`;
  const directory = join(wheelCache, platform);
  mkdirSync(directory, { recursive: true });
  const prefix = `${request.project.replace(/-/g, "_")}-${request.version ?? ""}`;
  const matches = () => readdirSync(directory).filter((f) => f.startsWith(prefix) && f.endsWith(".whl") && f.includes(platform) && f.includes(`-${abi}-`));
  if (matches().length === 0) {
    const spec = request.version ? `${request.project}==${request.version}` : request.project;
    const result = spawnSync(hostPython, [
      "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps", "--only-binary=:all:",
      "--platform", platform, "--python-version", python, "--implementation", "cp", "--abi", abi, spec, "-d", directory,
    ], { encoding: "utf8", timeout: 300_000 });
    if (result.status !== 0) throw new Error(`pip download ${spec} for ${platform} failed:\n${result.stderr}`);
  }
  const found = matches().sort();
  if (found.length === 0) throw new Error(`pip download gave no ${platform} wheel for ${request.project}`);
  return join(directory, found[found.length - 1]!);
}

/** The `.so` entries of a wheel, by name. */
export function wheelExtensionModules(wheelPath: string): Map<string, Uint8Array> {
  const files = unzipSync(readFileSync(wheelPath), { filter: (file) => file.name.endsWith(".so") });
  return new Map(Object.entries(files));
}
