/**
 * Lock file formats: PEP 751 `pylock.toml` (https://peps.python.org/pep-0751/), `pyodide-lock.json`
 * and pinned requirements files.
 */
export {};
