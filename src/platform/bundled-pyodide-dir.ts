import { createRequire } from "node:module";
import { dirname } from "node:path";

/**
 * The directory of the bundled `pyodide` npm package. On its own so that commands which only
 * read the package's files (`kiln audit`) do not load the runtime host and the runtime layer.
 *
 * @example
 * const wasm = join(bundledPyodideDir(), "pyodide.asm.wasm");
 */
export function bundledPyodideDir(): string {
  return dirname(createRequire(import.meta.url).resolve("pyodide"));
}
