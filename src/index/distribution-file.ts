/**
 * What the runtime's own Pyodide repository (`pyodide-lock.json`) says about a file, beyond what
 * a package index says. Only files from a {@link PyodideLockSource} carry it.
 */
export interface PyodidePackageInfo {
  /** The package name as the lock file spells it. */
  name: string;
  version: string;
  /** Normalized names of the lock entries this one needs loaded first. */
  depends: string[];
  /** Top-level import names the package provides. */
  imports: string[];
  /** `package` (a wheel), `shared_library` or `cpython_module` (zips with no METADATA). */
  packageType: string;
  /** `site` (site-packages) or `dynlib` (the runtime's library directory). */
  installDir: string;
}

/**
 * One downloadable file of a project, as an index lists it (PEP 503 HTML, PEP 691 JSON,
 * PEP 700 fields, PEP 658/714 metadata), a find-links page or directory, or Pyodide's lock file.
 *
 * @example
 * const file: DistributionFile = {
 *   filename: "packaging-24.0-py3-none-any.whl",
 *   url: "https://files.pythonhosted.org/packages/…/packaging-24.0-py3-none-any.whl",
 *   hashes: { sha256: "2ddfb553fdf02fb784c234c7ba6ccc288296ceabec964ad2eae3777778130bc5" },
 *   requiresPython: ">=3.7",
 *   indexUrl: "https://pypi.org/simple/",
 * };
 */
export interface DistributionFile {
  /** The file's name, as the index gives it (not yet validated as a wheel or sdist name). */
  filename: string;
  /** Absolute URL, with any hash fragment removed. `file:` URLs for local find-links. */
  url: string;
  /** Hash name (lower case, such as `sha256`) to lower-case hex digest. May be empty. */
  hashes: Record<string, string>;
  /** The PEP 440 specifier set from `requires-python` / `data-requires-python`, unparsed. */
  requiresPython?: string;
  /** PEP 592: `true` or the reason when yanked. */
  yanked?: false | true | string;
  /** PEP 700 size in bytes. */
  size?: number;
  /** PEP 700 upload time, ISO 8601 as the index gives it. */
  uploadTime?: string;
  /**
   * PEP 658/714: whether `<url>.metadata` exists; a record holds the hashes of that metadata
   * file (not of the distribution).
   */
  coreMetadata?: false | true | Record<string, string>;
  /** The index, find-links location or lock file this file was listed by. */
  indexUrl: string;
  /** Present only for files from Pyodide's repository. */
  pyodide?: PyodidePackageInfo;
}
