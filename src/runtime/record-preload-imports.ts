import type { Reporter } from "../core/index.js";
import { isModuleName, preloadNames, readPreloadImports, type PreloadRequest } from "./preload-snapshot.js";
import type { PythonRuntime } from "./python-runtime.js";
import type { RuntimeHost } from "./runtime-host.js";

/** At most this many names are kept: a preload is for what every run imports, not an archive. */
const maxImports = 600;

/**
 * Python (run after the process's own code) that lists, as JSON, the standard-library modules
 * (files under the runtime's `/lib`, outside site-packages) that were imported when the process
 * marked its start-up done (`_kiln_main.mark_preload_imports()`, which kiln test's pytest plugin
 * calls after collection) beyond what the preload snapshot accounted for; none when the process
 * did not start from (or take) one, or marked nothing. Left out: what
 * acts on its import (`this`, `antigravity`), what must not be in a snapshot (Pyodide's own modules
 * and their JavaScript objects), what keeps per-process secrets from its import
 * (`multiprocessing`'s authentication key), and the standard library's tests and GUI.
 */
export const preloadImportsSource = String.raw`
def _kiln_preload_imports():
    import json, sys, _kiln_main
    accounted = getattr(_kiln_main, "_preload_accounted", None)
    marked = getattr(_kiln_main, "_preload_marked", None)
    if accounted is None or marked is None:
        return "[]"
    left_out = {"this", "antigravity", "__hello__", "__phello__", "__main__", "multiprocessing", "concurrent",
                "idlelib", "tkinter", "turtle", "turtledemo", "test", "pyodide", "_pyodide", "js", "pyodide_js", "micropip"}
    names = []
    for name in marked:
        module = sys.modules.get(name)
        if name in accounted or not isinstance(name, str) or name.split(".")[0] in left_out:
            continue
        file = getattr(module, "__file__", None)
        if isinstance(file, str) and file.startswith("/lib/") and "/site-packages/" not in file:
            names.append(name)
    return json.dumps(sorted(names))

_kiln_preload_imports()
`;

/**
 * After a process that started from a preload snapshot (or took one) has run: records the
 * standard-library modules it had imported beyond the snapshot when it marked its start-up done
 * (its `imports` blob, see `preloadNames`), so that the next process takes the snapshot again with
 * them imported (see `checkPreload`): pytest's own plugins, installed plugins, conftests and test
 * modules import modules (`pdb`, `unittest.mock`, `email.parser`) that each run would otherwise
 * unmarshal and execute again, and they would all be imported by the time the first test runs
 * anyway. Nothing is written when nothing is new. Any failure only means nothing is recorded.
 *
 * @example
 * await recordPreloadImports(host, runtime, { preload, reporter });
 */
export async function recordPreloadImports(
  host: RuntimeHost,
  runtime: PythonRuntime,
  options: { preload: PreloadRequest; reporter: Reporter },
): Promise<void> {
  if (!runtime.preload) return;
  try {
    // In globals of its own: the process's __main__ is left as its code left it.
    const namespace = runtime.pyodide.toPy({}) as { destroy?(): void };
    let text: unknown;
    try {
      text = runtime.pyodide.runPython(preloadImportsSource, { globals: namespace });
    } finally {
      namespace.destroy?.();
    }
    const listed = JSON.parse(String(text)) as unknown;
    const found = Array.isArray(listed) ? listed.filter(isModuleName) : [];
    if (!found.length) return;
    const name = preloadNames(runtime.preload.baseKey, options.preload).imports;
    const before = await readPreloadImports(host, name);
    const merged = [...new Set([...before, ...found])].sort().slice(0, maxImports);
    if (merged.length === before.length) return;
    await host.snapshots.write(name, new TextEncoder().encode(JSON.stringify(merged)));
    options.reporter.debug(`Recorded ${merged.length - before.length} standard-library modules imported beyond the preload (for its next snapshot)`);
  } catch (error) {
    options.reporter.debug(`Cannot record the modules imported beyond the preload: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
}
