import type { PythonRuntime } from "./python-runtime.js";

/** What kind of platform a runtime is, as installers and resolvers need it. */
export interface RuntimeDescription {
  /** The Pyodide npm package version, such as `314.0.7`. */
  pyodideVersion: string;
  /** `platform.python_version()`, such as `3.14.2`. */
  pythonVersion: string;
  /** The Pyodide/PEP 783 ABI version, such as `2026_0`; undefined for runtimes that predate it. */
  abiVersion: string | undefined;
  /** Compatible platform tags, best first, ending with `any`. */
  platformTags: string[];
  /** The PEP 508 marker environment, as `packaging.markers.default_environment()` computes it. */
  markerEnvironment: Record<string, string>;
  /** `EXT_SUFFIX`, such as `.cpython-314-wasm32-emscripten.so`. */
  extSuffix: string;
  /** `sysconfig.get_platform()`, such as `emscripten-5.0.3-wasm32`. */
  sysconfigPlatform: string;
  /** The CPython cache tag (`cpython-314`), which names `.pyc` files. */
  cacheTag: string;
}

// Mirrors packaging.markers.default_environment() and packaging.tags' Emscripten platforms, read
// from the runtime's own sysconfig so no table in kiln can drift from the runtime.
const describeSource = String.raw`
import json, os, platform, sys, sysconfig

def _describe():
    info = sys.implementation.version
    implementation_version = f"{info.major}.{info.minor}.{info.micro}"
    if info.releaselevel != "final":
        implementation_version += info.releaselevel[0] + str(info.serial)
    get = sysconfig.get_config_var
    abi = get("PYEMSCRIPTEN_PLATFORM_VERSION") or get("PYEMSCRIPTEN_ABI_VERSION") or get("PYODIDE_ABI_VERSION")
    platform_name = sysconfig.get_platform()
    emscripten_version = platform_name.split("-")[1] if platform_name.count("-") == 2 else platform.release()
    tags = []
    if abi:
        tags += [f"pyemscripten_{abi}_wasm32", f"pyodide_{abi}_wasm32"]
    tags.append("emscripten_" + emscripten_version.replace(".", "_").replace("-", "_") + "_wasm32")
    tags.append("any")
    markers = {
        "implementation_name": sys.implementation.name,
        "implementation_version": implementation_version,
        "os_name": os.name,
        "platform_machine": platform.machine(),
        "platform_release": platform.release(),
        "platform_system": platform.system(),
        "platform_version": platform.version(),
        "python_full_version": platform.python_version(),
        "platform_python_implementation": platform.python_implementation(),
        "python_version": ".".join(platform.python_version_tuple()[:2]),
        "sys_platform": sys.platform,
    }
    return json.dumps({
        "pythonVersion": platform.python_version(),
        "abiVersion": abi or None,
        "platformTags": tags,
        "markerEnvironment": markers,
        "extSuffix": get("EXT_SUFFIX"),
        "sysconfigPlatform": platform_name,
        "cacheTag": sys.implementation.cache_tag,
    })

_describe()
`;

/**
 * Reads a runtime's Python version, ABI, platform tags, marker environment and extension suffix
 * from the runtime itself (sysconfig), so they are never hard-coded in kiln.
 *
 * @example
 * const runtime = await startRuntime(host);
 * describeRuntime(runtime).platformTags; // ["pyemscripten_2026_0_wasm32", "pyodide_2026_0_wasm32", "emscripten_5_0_3_wasm32", "any"]
 */
export function describeRuntime(runtime: PythonRuntime): RuntimeDescription {
  const namespace = runtime.pyodide.toPy({});
  const json = runtime.pyodide.runPython(describeSource, { globals: namespace }) as string;
  const parsed = JSON.parse(json) as Omit<RuntimeDescription, "pyodideVersion" | "abiVersion"> & { abiVersion: string | null };
  return { ...parsed, abiVersion: parsed.abiVersion ?? undefined, pyodideVersion: runtime.files.pyodideVersion };
}
