import { KilnError } from "../core/index.js";

/**
 * The values environment markers are evaluated against, keyed by the spec's variable names.
 * `extras` and `dependency_groups` are the set-valued variables of lock files (PEP 751); they
 * are only needed by markers that use them.
 */
export interface MarkerEnvironment {
  implementation_name: string;
  implementation_version: string;
  os_name: string;
  platform_machine: string;
  platform_python_implementation: string;
  platform_release: string;
  platform_system: string;
  platform_version: string;
  python_full_version: string;
  python_version: string;
  sys_platform: string;
  extras?: readonly string[];
  dependency_groups?: readonly string[];
}

/** The string-valued keys every {@link MarkerEnvironment} has. */
export const markerEnvironmentKeys = [
  "implementation_name",
  "implementation_version",
  "os_name",
  "platform_machine",
  "platform_python_implementation",
  "platform_release",
  "platform_system",
  "platform_version",
  "python_full_version",
  "python_version",
  "sys_platform",
] as const;

/**
 * A Python program that prints the running interpreter's marker environment as one JSON object,
 * computed the way `packaging.markers.default_environment()` does but without needing packaging.
 * Run it in a real runtime and pass the printed object to {@link parseMarkerEnvironment}.
 *
 * @example
 * const environment = parseMarkerEnvironment(JSON.parse(await runPython(markerEnvironmentScript)));
 */
export const markerEnvironmentScript = `
import json, os, platform, sys
def full(info):
    text = f"{info.major}.{info.minor}.{info.micro}"
    return text if info.releaselevel == "final" else text + info.releaselevel[0] + str(info.serial)
print(json.dumps({
    "implementation_name": sys.implementation.name,
    "implementation_version": full(sys.implementation.version),
    "os_name": os.name,
    "platform_machine": platform.machine(),
    "platform_python_implementation": platform.python_implementation(),
    "platform_release": platform.release(),
    "platform_system": platform.system(),
    "platform_version": platform.version(),
    "python_full_version": platform.python_version(),
    "python_version": ".".join(platform.python_version_tuple()[:2]),
    "sys_platform": sys.platform,
}))
`;

/**
 * Checks a marker environment read at run time (for example the JSON printed by
 * {@link markerEnvironmentScript} inside a Pyodide runtime) and returns it typed.
 *
 * @example
 * parseMarkerEnvironment(JSON.parse(output)).platform_release; // "5.0.3"
 */
export function parseMarkerEnvironment(value: unknown, source = "the runtime"): MarkerEnvironment {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid(source, "it is not an object");
  }
  const record = value as Record<string, unknown>;
  const environment: Record<string, unknown> = {};
  for (const key of markerEnvironmentKeys) {
    if (typeof record[key] !== "string") throw invalid(source, `"${key}" is missing or not a string`);
    environment[key] = record[key];
  }
  for (const key of ["extras", "dependency_groups"] as const) {
    const names = record[key];
    if (names === undefined) continue;
    if (!Array.isArray(names) || !names.every((name) => typeof name === "string")) {
      throw invalid(source, `"${key}" is not a list of names`);
    }
    environment[key] = names;
  }
  return environment as unknown as MarkerEnvironment;
}

function invalid(source: string, problem: string): KilnError {
  return new KilnError("invalidMarkerEvaluation", `Cannot use the marker environment from ${source}: ${problem}`, {
    hint: "A marker environment maps each PEP 508 variable (python_version, sys_platform, …) to a string",
  });
}
