/**
 * Lock file formats: PEP 751 `pylock.toml` (https://peps.python.org/pep-0751/),
 * `pyodide-lock.json` (the format of Pyodide's own lock file, read by `loadPyodide({ lockFileURL })`)
 * and pinned requirements files with `--hash` lines (pip's hash-checking mode).
 *
 * Quirks: PEP 751 names must be normalized and `lock-version` majors other than 1 must be
 * refused; `upload-time` is a TOML date-time, not a string. In `pyodide-lock.json` a relative
 * `file_name` is resolved against the lock file's URL, so kiln writes absolute wheel URLs;
 * packages are keyed by normalized name while `name` keeps the metadata's spelling. pip's
 * requirements files (https://pip.pypa.io/en/stable/reference/requirements-file-format/) join
 * `\` continuations before dropping comments, and a `#` only starts a comment at the start of a
 * line or after white space.
 */
export type { LockedPackage, LockedSet, LockedWheel } from "./locked-set.js";
export { formatPylock, pylockVersion } from "./format-pylock.js";
export { parsePylock, type ParsedPylock } from "./parse-pylock.js";
export { formatPyodideLock, type PyodideLockInfo, type PyodideLockPackage } from "./format-pyodide-lock.js";
export { formatRequirementsFile, type RequirementsFileOptions } from "./format-requirements-file.js";
export {
  parseRequirementsFile,
  emptyRequirementsFileContents,
  expandEnvironment,
  type ParseRequirementsFileOptions,
  type RequirementsFileContents,
  type RequirementsFileEntry,
  type RequirementsFileEntryKind,
} from "./parse-requirements-file.js";
export { logicalLines, splitOptionWords, type LogicalLine } from "./requirements-file-lines.js";
