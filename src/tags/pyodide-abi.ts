import { isKilnError, KilnError } from "../core/index.js";

/** A Pyodide release line and the CPython it ships. */
export interface PyodideRelease {
  /** The release line, matched as a prefix: `"0.27"` covers 0.27.0 … 0.27.7; `"314"` covers 314.0.x. */
  version: string;
  /** The CPython version of that line, `major.minor.micro`. */
  python: string;
}

/**
 * One Emscripten ABI that Python wheels target (PEP 783): what a `pyemscripten_*` platform tag
 * promises about the runtime.
 */
export interface PyodideAbi {
  /** `"2026_0"`; undefined for the Emscripten-versioned platform that predates PEP 783. */
  abiVersion: string | undefined;
  /** The platform tag wheels for this ABI carry: `pyemscripten_2026_0_wasm32`. */
  platformTag: string;
  /** The older spelling of the same platform, `pyodide_2026_0_wasm32`, not accepted by PyPI for uploads. */
  legacyPlatformTag: string | undefined;
  /** The Emscripten version the runtime is built with, `"5.0.3"`. */
  emscriptenVersion: string;
  /** The CPython minor version, `[3, 14]`. */
  python: readonly [number, number];
  /** The Pyodide release lines built for this ABI, oldest first. */
  pyodideReleases: readonly PyodideRelease[];
  /** How C++ exceptions and longjmp unwind: through JavaScript or with WebAssembly exception handling. */
  exceptionHandling: "javascript" | "wasm";
  /** `planned` while no Pyodide release exists yet. */
  status: "released" | "planned";
}

/**
 * The known Emscripten ABIs, oldest first (DESIGN.md "Platform facts"; CPython versions per
 * Pyodide line from pyodide-cross-build-environments.json). The planned ABI's CPython patch level
 * is the first release of its line.
 */
export const pyodideAbis: readonly PyodideAbi[] = [
  {
    abiVersion: undefined,
    platformTag: "emscripten_3_1_32_wasm32",
    legacyPlatformTag: undefined,
    emscriptenVersion: "3.1.32",
    python: [3, 11],
    pyodideReleases: [{ version: "0.23", python: "3.11.2" }],
    exceptionHandling: "javascript",
    status: "released",
  },
  {
    abiVersion: "2024_0",
    platformTag: "pyemscripten_2024_0_wasm32",
    legacyPlatformTag: "pyodide_2024_0_wasm32",
    emscriptenVersion: "3.1.58",
    python: [3, 12],
    pyodideReleases: [
      { version: "0.26", python: "3.12.1" },
      { version: "0.27", python: "3.12.7" },
    ],
    exceptionHandling: "javascript",
    status: "released",
  },
  {
    abiVersion: "2025_0",
    platformTag: "pyemscripten_2025_0_wasm32",
    legacyPlatformTag: "pyodide_2025_0_wasm32",
    emscriptenVersion: "4.0.9",
    python: [3, 13],
    pyodideReleases: [
      { version: "0.28", python: "3.13.2" },
      { version: "0.29", python: "3.13.2" },
    ],
    exceptionHandling: "wasm",
    status: "released",
  },
  {
    abiVersion: "2026_0",
    platformTag: "pyemscripten_2026_0_wasm32",
    legacyPlatformTag: "pyodide_2026_0_wasm32",
    emscriptenVersion: "5.0.3",
    python: [3, 14],
    pyodideReleases: [{ version: "314", python: "3.14.2" }],
    exceptionHandling: "wasm",
    status: "released",
  },
  {
    abiVersion: "2026_5",
    platformTag: "pyemscripten_2026_5_wasm32",
    legacyPlatformTag: "pyodide_2026_5_wasm32",
    emscriptenVersion: "6.0.5",
    python: [3, 15],
    pyodideReleases: [{ version: "315", python: "3.15.0" }],
    exceptionHandling: "wasm",
    status: "planned",
  },
];

/**
 * The ABI with the given ABI version (`"2026_0"`), or undefined.
 *
 * @example
 * abiForVersion("2025_0")?.python; // [3, 13]
 */
export function abiForVersion(abiVersion: string): PyodideAbi | undefined {
  return pyodideAbis.find((abi) => abi.abiVersion !== undefined && abi.abiVersion === abiVersion);
}

/**
 * The ABI a platform tag belongs to (`pyemscripten_2026_0_wasm32`, `pyodide_2026_0_wasm32` or
 * `emscripten_3_1_32_wasm32`), or undefined.
 *
 * @example
 * abiForPlatformTag("pyodide_2024_0_wasm32")?.abiVersion; // "2024_0"
 */
export function abiForPlatformTag(platformTag: string): PyodideAbi | undefined {
  const tag = platformTag.toLowerCase();
  return pyodideAbis.find(
    (abi) => abi.platformTag === tag || abi.legacyPlatformTag === tag || emscriptenPlatformTag(abi) === tag,
  );
}

/**
 * The ABI a Pyodide release is built for (`"0.27.7"`, `"314.0.7"`), or undefined.
 *
 * @example
 * abiForPyodideVersion("0.29.3")?.abiVersion; // "2025_0"
 */
export function abiForPyodideVersion(pyodideVersion: string): PyodideAbi | undefined {
  return pyodideAbis.find((abi) => pyodideReleaseOf(abi, pyodideVersion) !== undefined);
}

/**
 * The release line of `abi` that `pyodideVersion` belongs to, or undefined.
 *
 * @example
 * pyodideReleaseOf(abiForVersion("2024_0")!, "0.26.4")?.python; // "3.12.1"
 */
export function pyodideReleaseOf(abi: PyodideAbi, pyodideVersion: string): PyodideRelease | undefined {
  const version = pyodideVersion.trim();
  return abi.pyodideReleases.find((release) => version === release.version || version.startsWith(`${release.version}.`));
}

/**
 * `emscripten_<X>_<Y>_<Z>_wasm32`, the generic platform tag of the ABI's Emscripten version
 * (what `sysconfig.get_platform()` gives inside the runtime, normalized).
 *
 * @example
 * emscriptenPlatformTag(abiForVersion("2026_0")!); // "emscripten_5_0_3_wasm32"
 */
export function emscriptenPlatformTag(abi: PyodideAbi): string {
  return `emscripten_${abi.emscriptenVersion.replaceAll(".", "_")}_wasm32`;
}

/**
 * Finds an ABI from any of the names people use for it: an ABI version (`2026_0`), a platform
 * tag (`pyemscripten_2026_0_wasm32`, `pyodide_2026_0_wasm32`, `emscripten_3_1_32_wasm32`) or a
 * Pyodide version (`0.27.7`, `314.0.7`).
 *
 * @example
 * parsePyodideAbi("314.0.7").platformTag; // "pyemscripten_2026_0_wasm32"
 */
export function parsePyodideAbi(text: string): PyodideAbi {
  const found = abiForVersion(text) ?? abiForPlatformTag(text) ?? abiForPyodideVersion(text);
  if (found !== undefined) return found;
  const known = pyodideAbis.map((abi) => abi.abiVersion ?? abi.platformTag).join(", ");
  throw new KilnError("unknownAbi", `Cannot find the Pyodide/Emscripten ABI "${text}"`, {
    hint: `Known ABIs: ${known}; an ABI can also be named by its platform tag or a Pyodide version such as 314.0.7`,
  });
}

/**
 * Like {@link parsePyodideAbi}, but returns undefined for an unknown ABI.
 *
 * @example
 * tryParsePyodideAbi("2019_0"); // undefined
 */
export function tryParsePyodideAbi(text: string): PyodideAbi | undefined {
  try {
    return parsePyodideAbi(text);
  } catch (error) {
    if (isKilnError(error)) return undefined;
    throw error;
  }
}
