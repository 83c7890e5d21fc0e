import { emscriptenPlatformTag, type PyodideAbi } from "./pyodide-abi.js";
import type { Tag } from "./tag.js";

/** What {@link compatibleTags} needs to know about the target interpreter. */
export interface CompatibleTagsOptions {
  /** The CPython version, `[3, 14]`. */
  python: readonly [number, number];
  /** Platform tags, best first, such as the result of {@link platformTagsForAbi}. */
  platforms: readonly string[];
  /** The interpreter's own ABI tags, best first; defaults to `["cp<XY>"]`. */
  abis?: readonly string[];
}

/**
 * The tags a CPython interpreter accepts, best first, in the order `packaging.tags` gives for
 * `cpython_tags()` followed by `compatible_tags()`:
 * `cpXY-cpXY-<platform>`, `cpXY-abi3-<platform>`, `cpXY-none-<platform>`, `cpXY-1…cp32-abi3-<platform>`,
 * `pyXY/py3/pyXY-1…py30-none-<platform>`, `cpXY-none-any`, then `pyXY/py3/pyXY-1…py30-none-any`.
 * (Free-threaded `abi3t` interpreters are not covered.)
 *
 * @example
 * compatibleTags({ python: [3, 14], platforms: platformTagsForAbi(abiForVersion("2026_0")!) })[0];
 * // { interpreter: "cp314", abi: "cp314", platform: "pyemscripten_2026_0_wasm32" }
 */
export function compatibleTags(options: CompatibleTagsOptions): Tag[] {
  const [major, minor] = options.python;
  const interpreter = `cp${major}${minor}`;
  const abis = (options.abis ?? [interpreter]).filter((abi) => abi !== "abi3" && abi !== "none");
  const platforms = options.platforms;
  const tags: Tag[] = [];
  const add = (tagInterpreter: string, abi: string, platform: string) => tags.push({ interpreter: tagInterpreter, abi, platform });

  for (const abi of abis) for (const platform of platforms) add(interpreter, abi, platform);
  const abi3 = major > 3 || (major === 3 && minor >= 2);
  if (abi3) for (const platform of platforms) add(interpreter, "abi3", platform);
  for (const platform of platforms) add(interpreter, "none", platform);
  if (abi3) {
    for (let older = minor - 1; older > 1; older--) for (const platform of platforms) add(`cp${major}${older}`, "abi3", platform);
  }
  const pythons = pythonInterpreterRange(major, minor);
  for (const python of pythons) for (const platform of platforms) add(python, "none", platform);
  add(interpreter, "none", "any");
  for (const python of pythons) add(python, "none", "any");
  return tags;
}

// py314, py3, py313 … py30: packaging puts the major-only tag right after the current version.
function pythonInterpreterRange(major: number, minor: number): string[] {
  const range = [`py${major}${minor}`, `py${major}`];
  for (let older = minor - 1; older >= 0; older--) range.push(`py${major}${older}`);
  return range;
}

/**
 * The platform tags of an ABI, best first: `pyemscripten_<abi>_wasm32`, the legacy
 * `pyodide_<abi>_wasm32`, then `emscripten_<X_Y_Z>_wasm32`.
 *
 * @example
 * platformTagsForAbi(abiForVersion("2026_0")!);
 * // ["pyemscripten_2026_0_wasm32", "pyodide_2026_0_wasm32", "emscripten_5_0_3_wasm32"]
 */
export function platformTagsForAbi(abi: PyodideAbi): string[] {
  const tags = [abi.platformTag];
  if (abi.legacyPlatformTag !== undefined) tags.push(abi.legacyPlatformTag);
  const generic = emscriptenPlatformTag(abi);
  if (!tags.includes(generic)) tags.push(generic);
  return tags;
}

/**
 * The tags a runtime of the given ABI accepts, best first.
 *
 * @example
 * compatibleTagsForAbi(abiForVersion("2025_0")!).length; // 81
 */
export function compatibleTagsForAbi(abi: PyodideAbi): Tag[] {
  return compatibleTags({ python: abi.python, platforms: platformTagsForAbi(abi) });
}

/** Values read inside a real runtime with `sysconfig`. */
export interface RuntimePlatformFacts {
  /** `sysconfig.get_platform()`, such as `emscripten-5.0.3-wasm32`. */
  sysconfigPlatform: string;
  /** `sysconfig.get_config_var("PYEMSCRIPTEN_PLATFORM_VERSION")`, such as `2026_0`, when set. */
  pyemscriptenPlatformVersion?: string | undefined;
}

/**
 * The platform tags of a running runtime, best first, as `packaging.tags` derives them on
 * Emscripten, plus the legacy `pyodide_<abi>_wasm32` spelling.
 *
 * @example
 * platformTagsForRuntime({ sysconfigPlatform: "emscripten-5.0.3-wasm32", pyemscriptenPlatformVersion: "2026_0" });
 * // ["pyemscripten_2026_0_wasm32", "pyodide_2026_0_wasm32", "emscripten_5_0_3_wasm32"]
 */
export function platformTagsForRuntime(facts: RuntimePlatformFacts): string[] {
  const tags: string[] = [];
  const version = facts.pyemscriptenPlatformVersion;
  if (version) tags.push(`pyemscripten_${version}_wasm32`, `pyodide_${version}_wasm32`);
  tags.push(facts.sysconfigPlatform.replace(/[.\- ]/g, "_"));
  return tags;
}
