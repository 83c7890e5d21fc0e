/**
 * Running CPython on WASM (Pyodide): runtimes, snapshots and virtual environments.
 */
export {};
