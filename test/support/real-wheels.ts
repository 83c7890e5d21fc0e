import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { hostPython } from "./host-python.js";

/** Where test setup caches wheels downloaded from the public index (gitignored). */
export const wheelCache = fileURLToPath(new URL("../../.cache/wheels", import.meta.url));

/** Real wheels the tests use, pinned so results do not drift with new releases. */
export const realWheelRequirements = {
  pytest: { requirement: "pytest==9.2.0", file: "pytest-9.2.0-py3-none-any.whl" },
  packaging: { requirement: "packaging==26.3", file: "packaging-26.3-py3-none-any.whl" },
  iniconfig: { requirement: "iniconfig==2.3.1", file: "iniconfig-2.3.1-py3-none-any.whl" },
  pluggy: { requirement: "pluggy==1.7.0", file: "pluggy-1.7.0-py3-none-any.whl" },
  "pydantic-core": {
    requirement: "pydantic-core==2.50.4",
    file: "pydantic_core-2.50.4-cp314-cp314-pyemscripten_2026_0_wasm32.whl",
    platform: ["--platform", "pyemscripten_2026_0_wasm32", "--python-version", "3.14", "--implementation", "cp", "--abi", "cp314"],
  },
} as const;

export type RealWheelName = keyof typeof realWheelRequirements;

/**
 * The path of a real wheel from the public index, downloaded with `pip download` on first use.
 *
 * @example
 * const bytes = readFileSync(realWheel("pytest"));
 */
export function realWheel(name: RealWheelName): string {
  const spec = realWheelRequirements[name];
  const path = join(wheelCache, spec.file);
  if (existsSync(path)) return path;
  mkdirSync(wheelCache, { recursive: true });
  const platform = "platform" in spec ? spec.platform : [];
  const result = spawnSync(
    hostPython,
    ["-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps", "--only-binary=:all:", ...platform, "-d", wheelCache, spec.requirement],
    { encoding: "utf8", timeout: 300_000 },
  );
  if (result.status !== 0 || !existsSync(path)) {
    throw new Error(`Cannot download ${spec.requirement} for the tests (pip exited ${result.status}):\n${result.stderr}\nfound: ${readdirSync(wheelCache).join(", ")}`);
  }
  return path;
}

/** Every real wheel, downloaded if needed. */
export function allRealWheels(): string[] {
  return (Object.keys(realWheelRequirements) as RealWheelName[]).map(realWheel);
}
