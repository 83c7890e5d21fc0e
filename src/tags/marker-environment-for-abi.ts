import { KilnError } from "../core/index.js";
import type { MarkerEnvironment } from "../pep508/index.js";
import { parsePyodideAbi, pyodideReleaseOf, type PyodideAbi, type PyodideRelease } from "./pyodide-abi.js";

/**
 * The marker environment of a Pyodide runtime for `abi` (an ABI, or any name
 * {@link parsePyodideAbi} accepts). `python_full_version` is that of the given Pyodide release
 * line, or of the newest line of the ABI.
 *
 * @example
 * markerEnvironmentForAbi("2026_0").platform_release; // "5.0.3"
 * markerEnvironmentForAbi("2024_0", { pyodideVersion: "0.26.4" }).python_full_version; // "3.12.1"
 */
export function markerEnvironmentForAbi(abi: PyodideAbi | string, options: { pyodideVersion?: string } = {}): MarkerEnvironment {
  const found = typeof abi === "string" ? parsePyodideAbi(abi) : abi;
  const release = releaseFor(found, options.pyodideVersion);
  return {
    implementation_name: "cpython",
    implementation_version: release.python,
    os_name: "posix",
    platform_machine: "wasm32",
    platform_python_implementation: "CPython",
    platform_release: found.emscriptenVersion,
    platform_system: "Emscripten",
    // Emscripten's uname() reports this fixed version string.
    platform_version: "#1",
    python_full_version: release.python,
    python_version: `${found.python[0]}.${found.python[1]}`,
    sys_platform: "emscripten",
  };
}

function releaseFor(abi: PyodideAbi, pyodideVersion: string | undefined): PyodideRelease {
  if (pyodideVersion === undefined) return abi.pyodideReleases[abi.pyodideReleases.length - 1]!;
  const release = pyodideReleaseOf(abi, pyodideVersion);
  if (release !== undefined) return release;
  const lines = abi.pyodideReleases.map((line) => line.version).join(", ");
  throw new KilnError("unknownAbi", `Cannot use Pyodide ${pyodideVersion} with the ABI ${abi.abiVersion ?? abi.platformTag}`, {
    hint: `That ABI is built by the Pyodide release lines ${lines}`,
  });
}
