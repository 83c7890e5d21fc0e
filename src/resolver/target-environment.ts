import type { MarkerEnvironment } from "../pep508/index.js";
import { compatibleTags, markerEnvironmentForAbi, parsePyodideAbi, platformTagsForAbi, type Tag } from "../tags/index.js";

/**
 * The one environment a resolution is for: its Python, the wheel tags it accepts and the values
 * its environment markers see.
 *
 * @example
 * const target = targetForAbi("2026_0"); // CPython 3.14 on pyemscripten_2026_0_wasm32
 */
export interface TargetEnvironment {
  /** The full Python version (`3.14.2`) that `Requires-Python` is checked against. */
  pythonVersion: string;
  /** Platform tags, best first (`pyemscripten_2026_0_wasm32`, …); used for hints and defaults. */
  platformTags: readonly string[];
  markerEnvironment: MarkerEnvironment;
  /** Every compatible wheel tag, best first; derived from the Python version and platform tags when absent. */
  compatibleTags?: readonly Tag[];
}

/** The ABI kiln targets by default: the one of the embedded Pyodide runtime. */
export const defaultAbi = "2026_0";

/**
 * The target environment of a Pyodide runtime with the given ABI (`2026_0`, or a platform tag),
 * from the ABI table; a running runtime can describe itself more exactly.
 *
 * @example
 * targetForAbi("2026_0").platformTags[0]; // "pyemscripten_2026_0_wasm32"
 */
export function targetForAbi(abiName: string = defaultAbi, options: { pyodideVersion?: string } = {}): TargetEnvironment {
  const abi = parsePyodideAbi(abiName);
  const markerEnvironment = markerEnvironmentForAbi(abi, options);
  return { pythonVersion: markerEnvironment.python_full_version, platformTags: platformTagsForAbi(abi), markerEnvironment };
}

/**
 * The compatible tags of a target, best first.
 *
 * @example
 * targetTags(targetForAbi())[0]; // { interpreter: "cp314", abi: "cp314", platform: "pyemscripten_2026_0_wasm32" }
 */
export function targetTags(target: TargetEnvironment): readonly Tag[] {
  if (target.compatibleTags) return target.compatibleTags;
  const [major = 3, minor = 0] = target.pythonVersion.split(".").map(Number);
  return compatibleTags({ python: [major, minor], platforms: target.platformTags });
}
