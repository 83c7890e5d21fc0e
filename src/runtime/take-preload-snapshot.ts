import type { Reporter } from "../core/index.js";
import { preloadKey, preloadNames, preloadSource, readPreloadImports, type PreloadManifest, type PreloadRequest } from "./preload-snapshot.js";
import type { ProcessConfig, PythonRuntime } from "./python-runtime.js";
import type { RuntimeHost } from "./runtime-host.js";
import { encodeSnapshotFile } from "./snapshot-file.js";

/**
 * In a process started for a preload it could not restore (`runtime.preload.state` is `wanted`):
 * imports the requested modules as this process would (its environment, warning options and
 * venv), and the standard-library modules earlier processes imported beyond them (see
 * `recordPreloadImports`), takes a memory snapshot and keeps it with its manifest (see `checkPreload`). The process
 * then runs as usual, with the modules imported. Any failure only means no snapshot is kept.
 *
 * @example
 * if (runtime.preload?.state === "wanted") await takePreloadSnapshot(host, runtime, { config, preload, reporter });
 */
export async function takePreloadSnapshot(
  host: RuntimeHost,
  runtime: PythonRuntime,
  options: { config: ProcessConfig; preload: PreloadRequest; reporter: Reporter },
): Promise<void> {
  const { preload, reporter } = options;
  const pyodide = runtime.pyodide;
  if (!runtime.preload || !pyodide.makeMemorySnapshot || !host.fileStamps) return;
  const baseKey = runtime.preload.baseKey;
  const names = preloadNames(baseKey, preload);
  let imported: { files: string[]; names: string[]; env: Record<string, string | null> };
  // The standard-library modules earlier processes imported beyond the preload: imported too.
  const extras = await readPreloadImports(host, names.imports);
  const inputs = { config: JSON.stringify(options.config), modules: JSON.stringify(preload.modules), extras: JSON.stringify(extras) };
  const namespace = pyodide.toPy(inputs) as { get(name: string): unknown; destroy?(): void };
  try {
    pyodide.runPython(preloadSource, { globals: namespace });
    imported = JSON.parse(String(namespace.get("result")));
  } catch (error) {
    reporter.debug(`Cannot preload ${preload.modules.join(", ")}: ${firstLine(error)}`);
    return;
  } finally {
    namespace.destroy?.();
  }
  try {
    const stamps = await host.fileStamps(imported.files);
    const missing = imported.files.find((_, index) => stamps[index] === undefined);
    if (missing !== undefined) throw new Error(`${missing} cannot be stamped`);
    const files = Object.fromEntries(imported.files.map((path, index) => [path, stamps[index]!]));
    const manifest: PreloadManifest = { files, names: imported.names, env: imported.env, ...(extras.length ? { stdlib: extras } : {}) };
    const text = JSON.stringify(manifest);
    const file = encodeSnapshotFile(pyodide.makeMemorySnapshot(), { key: preloadKey(baseKey, preload, text), checksum: host.checksum });
    // The snapshot first: a manifest never names a snapshot that is not there yet.
    await host.snapshots.write(names.snapshot, file);
    await host.snapshots.write(names.manifest, new TextEncoder().encode(text));
    reporter.debug(`Saved preload snapshot ${names.snapshot} (${imported.names.length} top-level modules, ${imported.files.length} files)`);
  } catch (error) {
    reporter.debug(`Cannot save the preload snapshot ${names.snapshot}: ${firstLine(error)}`);
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n").filter(Boolean).pop() ?? "";
}
