import { KilnError } from "../core/index.js";
import { isInside, joinPath } from "./paths.js";

/**
 * Where an installation puts each kind of file (the sysconfig install scheme), plus the
 * environment's root and interpreter. All paths are absolute.
 */
export interface InstallScheme {
  /** The environment's root; the install lock and transaction journal live under it. */
  prefix: string;
  purelib: string;
  platlib: string;
  scripts: string;
  data: string;
  /** Base directory for C headers; each distribution's headers go to `headers/<name>`. */
  headers: string;
  /** The interpreter that console-script launchers and `#!python` scripts run with. */
  python: string;
}

/**
 * The scheme of a kiln virtual environment: `DIR/bin`, `DIR/lib/python3.X/site-packages`,
 * as `kiln venv` lays it out (and as CPython's `venv` scheme does on POSIX).
 *
 * @example
 * venvScheme("/work/.venv", "3.14").purelib; // "/work/.venv/lib/python3.14/site-packages"
 */
export function venvScheme(directory: string, pythonVersion: string): InstallScheme {
  if (!/^\d+\.\d+$/.test(pythonVersion)) throw new RangeError(`Python version must be major.minor, not "${pythonVersion}"`);
  const prefix = joinPath(directory);
  const sitePackages = joinPath(prefix, "lib", `python${pythonVersion}`, "site-packages");
  return {
    prefix,
    purelib: sitePackages,
    platlib: sitePackages,
    scripts: joinPath(prefix, "bin"),
    data: prefix,
    headers: joinPath(prefix, "include", "site", `python${pythonVersion}`),
    python: joinPath(prefix, "bin", "python"),
  };
}

/** Checks a scheme before anything is written: absolute paths, all inside the prefix. */
export function checkInstallScheme(scheme: InstallScheme): void {
  for (const key of ["prefix", "purelib", "platlib", "scripts", "data", "headers", "python"] as const) {
    const value = scheme[key];
    if (typeof value !== "string" || !value.startsWith("/")) {
      throw new KilnError("invalidInstallScheme", `Cannot use install scheme: ${key} "${value}" is not an absolute path`, {
        hint: "Pass absolute, /-separated paths (see venvScheme)",
      });
    }
    if (key !== "python" && !isInside(scheme.prefix, value)) {
      throw new KilnError("invalidInstallScheme", `Cannot use install scheme: ${key} "${value}" is outside the prefix "${scheme.prefix}"`, {
        hint: "Every install location must be inside the environment so installs can be staged and rolled back",
      });
    }
  }
}
