/**
 * One wheel of a locked package, as every lock format needs it.
 *
 * @example
 * const wheel: LockedWheel = { filename: "idna-3.10-py3-none-any.whl", url: "https://files.pythonhosted.org/…/idna-3.10-py3-none-any.whl", hashes: { sha256: "946d…" }, size: 70442 };
 */
export interface LockedWheel {
  filename: string;
  url: string;
  /** Algorithm → lowercase hex digest; `sha256` is what pip and Pyodide check. */
  hashes: Record<string, string>;
  size?: number;
  /** RFC 3339 timestamp from the index (PEP 700), when it gave one. */
  uploadTime?: string;
}

/**
 * One package of a resolution, independent of the lock format it is written to.
 *
 * @example
 * const idna: LockedPackage = { name: "idna", version: "3.10", dependencies: [], wheels: [wheel], requiresPython: ">=3.6" };
 */
export interface LockedPackage {
  /** PEP 503-normalized name. */
  name: string;
  /** The name as the package's metadata spells it (`pydantic_core`); `name` when absent. */
  displayName?: string;
  version: string;
  /** Normalized names of the locked packages this one depends on directly. */
  dependencies: string[];
  /** The wheels that may be installed; the first is the one chosen for the target. */
  wheels: LockedWheel[];
  /** The source distribution, when the resolution builds this package from it (no wheel fits the target). */
  sdist?: LockedWheel;
  requiresPython?: string;
  /** The index the package came from (its simple-API base URL). */
  index?: string;
  /** Top-level import names, when known (pyodide-lock.json's `imports`). */
  imports?: string[];
  /**
   * For packages from the runtime's Pyodide repository: its `package_type` (`package`, or
   * `shared_library` for a zip of libraries that is not a wheel) and `install_dir` (`site` or
   * `dynlib`). Absent means a wheel for site-packages.
   */
  pyodide?: { packageType: string; installDir: string };
}

/**
 * A whole resolution for one target environment, ready to be written in any lock format.
 *
 * @example
 * const lock: LockedSet = { packages: [idna], createdBy: "kiln", requiresPython: ">=3.14" };
 */
export interface LockedSet {
  /** Sorted by name; writers keep this order. */
  packages: LockedPackage[];
  createdBy: string;
  requiresPython?: string;
  /** PEP 508 markers of the environments the lock is valid for. */
  environments?: string[];
}
