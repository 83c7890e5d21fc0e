import { KilnError } from "../core/index.js";
import type { LockedSet } from "./locked-set.js";

/** The `info` block of a `pyodide-lock.json`: which runtime the lock is for. */
export interface PyodideLockInfo {
  /** `2026_0`. */
  abi_version: string;
  /** `wasm32`. */
  arch: string;
  /** `emscripten_5_0_3`. */
  platform: string;
  /** The full Python version, `3.14.2`. */
  python: string;
  /** The Pyodide version the lock was made for, when known. */
  version?: string;
}

/** One entry of `packages` in a `pyodide-lock.json`. */
export interface PyodideLockPackage {
  name: string;
  version: string;
  file_name: string;
  install_dir: string;
  sha256: string;
  package_type: string;
  imports: string[];
  depends: string[];
  unvendored_tests: false;
  tool: Record<string, never>;
}

/**
 * Writes a `pyodide-lock.json` that `loadPyodide({ lockFileURL })` accepts: packages keyed by
 * normalized name, `file_name` the absolute wheel URL (Pyodide resolves only relative names
 * against the lock's own URL), `sha256` of that wheel, `depends` as normalized names. `imports`
 * comes from `LockedPackage.imports` and is `[]` when unknown (Pyodide then cannot find the
 * package from an `import` statement, only by name).
 *
 * @example
 * const json = formatPyodideLock(lock, { abi_version: "2026_0", arch: "wasm32", platform: "emscripten_5_0_3", python: "3.14.2" });
 */
export function formatPyodideLock(lock: LockedSet, info: PyodideLockInfo): string {
  const packages: Record<string, PyodideLockPackage> = {};
  for (const lockedPackage of lock.packages) {
    const wheel = lockedPackage.wheels[0];
    if (!wheel) {
      throw new KilnError("lockMissingWheel", `Cannot write pyodide-lock.json: ${lockedPackage.name} ${lockedPackage.version} has no wheel`, {
        hint: lockedPackage.sdist ? "It would be built from its sdist, and pyodide-lock.json can only list wheels: write a pylock.toml, or pass --only-binary :all:" : "pyodide-lock.json can only list wheels",
      });
    }
    const sha256 = wheel.hashes.sha256;
    if (!sha256) {
      throw new KilnError("lockMissingHash", `Cannot write pyodide-lock.json: ${wheel.filename} has no sha256 hash`, {
        hint: "Use an index that publishes sha256 hashes, or download the wheel so kiln can hash it",
      });
    }
    packages[lockedPackage.name] = {
      name: lockedPackage.displayName ?? lockedPackage.name,
      version: lockedPackage.version,
      file_name: wheel.url,
      install_dir: lockedPackage.pyodide?.installDir ?? "site",
      sha256,
      package_type: lockedPackage.pyodide?.packageType ?? "package",
      imports: lockedPackage.imports ?? [],
      depends: [...lockedPackage.dependencies],
      unvendored_tests: false,
      tool: {},
    };
  }
  const { version, ...rest } = info;
  return `${JSON.stringify({ info: { ...rest, ...(version ? { version } : {}) }, packages }, null, 2)}\n`;
}
