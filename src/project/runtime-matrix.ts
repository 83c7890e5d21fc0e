import { KilnError, isKilnError } from "../core/index.js";
import { formatRuntimeSetting, parseRuntimeSetting, type RuntimeSpec } from "../runtime/index.js";

/**
 * The runtimes a test run covers, from `--runtime` values (each may list several, comma-separated)
 * or `[tool.kiln.test] runtimes`: `pyodide@VERSION`, a bare version, or `bundled` (the Pyodide
 * kiln ships). Duplicates are dropped; no value at all means the bundled runtime alone.
 *
 * @example
 * parseRuntimeMatrix(["pyodide@314.0.7,bundled"], "--runtime");
 * // [{ kind: "npm", version: "314.0.7" }, { kind: "bundled" }]
 */
export function parseRuntimeMatrix(values: readonly string[], where: string): RuntimeSpec[] {
  const words = values.flatMap((value) => value.split(",")).map((word) => word.trim());
  if (words.length === 0) return [{ kind: "bundled" }];
  const runtimes = new Map<string, RuntimeSpec>();
  for (const word of words) {
    if (word === "") throw new KilnError("usage", `${where} has an empty runtime in ${JSON.stringify(values.join(","))}`, { hint: "Separate runtimes with single commas: pyodide@314.0.7,bundled" });
    let spec: RuntimeSpec;
    try {
      spec = parseRuntimeSetting(word);
    } catch (error) {
      if (!isKilnError(error)) throw error;
      throw new KilnError(error.code, `${where}: ${error.message}`, { ...(error.hint ? { hint: error.hint } : {}), cause: error });
    }
    runtimes.set(formatRuntimeSetting(spec), spec);
  }
  return [...runtimes.values()];
}
