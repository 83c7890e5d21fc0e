import { existsSync, readdirSync, rmdirSync, rmSync, type Stats } from "node:fs";
import { join } from "node:path";
import type { PruneResult } from "../cache/index.js";
import { compiledStdlibName, startProfileIdentity, startProfileName } from "../runtime/index.js";
import { bundledPyodideDir } from "./bundled-pyodide-dir.js";
import { compiledStdlibStore, withCompiledStdlib } from "./node-compiled-stdlib.js";
import { patchedGlueName } from "./node-patched-glue.js";
import { runtimeFilesIn } from "./node-runtime-host.js";
import { walkTree } from "./node-walk-tree.js";

/** The folders of a kiln cache that runtimes and installs derive from runtime builds. */
export const runtimeCacheFolders = { bytecode: "bytecode", stdlib: "stdlib", startProfiles: "start-profiles", glue: "glue", linkLayouts: "link-layouts" } as const;

/** Options for {@link pruneRuntimeCaches}. */
export interface PruneRuntimeCachesOptions {
  /** Entries unused for longer than this are removed (the CLI's `--max-age`). */
  maxAgeMs: number;
  now?: number;
  /**
   * The Pyodide directories whose builds are in use: their compiled standard library and start
   * profiles are kept whatever their age. Default: the bundled runtime and the complete runtimes
   * in the cache's `runtimes/`.
   */
  runtimeDirectories?: string[];
}

/** What {@link pruneRuntimeCaches} did, in total and per folder. */
export interface RuntimeCachesPruneResult extends PruneResult {
  folders: Record<keyof typeof runtimeCacheFolders, PruneResult>;
}

// Temporary files of writers (atomic renames, V8 traces) younger than this may still be in use.
const temporaryGraceMs = 3_600_000;

/**
 * Prunes what kiln derives from runtime builds, which the index cache's prune does not know:
 *
 * - `stdlib/` (byte-compiled standard libraries), `start-profiles/`, `glue/` (Pyodide's glue as
 *   kiln patches it) and `link-layouts/`: an entry for a runtime build in use is kept; any other
 *   (a runtime that was upgraded or removed, or one of another kiln installation sharing the
 *   cache) once it has not been read for `maxAgeMs`, so a second kiln that still uses it keeps it.
 * - `bytecode/` (modules compiled at install, by source digest): entries not read for `maxAgeMs`,
 *   and damaged ones. Reuse reads an entry without rewriting it, so "read" is the file's access
 *   time where the file system keeps one (Linux's default `relatime` updates it daily), else the
 *   time it was written: a pruned module is only compiled again at its next install.
 *
 * Temporary files older than an hour go too, and directories the prune empties.
 *
 * @example
 * const result = await pruneRuntimeCaches(kilnCacheDir(process.env), { maxAgeMs: 30 * 86_400_000 });
 */
export async function pruneRuntimeCaches(cacheDir: string, options: PruneRuntimeCachesOptions): Promise<RuntimeCachesPruneResult> {
  const now = options.now ?? Date.now();
  const live = await liveEntries(cacheDir, options.runtimeDirectories ?? runtimeDirectoriesOf(cacheDir));
  const unused = (stat: Stats) => now - Math.max(stat.atimeMs, stat.mtimeMs) > options.maxAgeMs;
  const stale = (name: string, stat: Stats) => (isTemporary(name) ? now - stat.mtimeMs > temporaryGraceMs : undefined);
  const ofRuntimeBuild = (name: string, stat: Stats) => stale(name, stat) ?? (!live.has(name) && unused(stat));
  const folders = {
    stdlib: pruneFolder(join(cacheDir, runtimeCacheFolders.stdlib), ofRuntimeBuild),
    startProfiles: pruneFolder(join(cacheDir, runtimeCacheFolders.startProfiles), ofRuntimeBuild),
    glue: pruneFolder(join(cacheDir, runtimeCacheFolders.glue), ofRuntimeBuild),
    linkLayouts: pruneFolder(join(cacheDir, runtimeCacheFolders.linkLayouts), ofRuntimeBuild),
    // A kept module is a whole timestamp-based .pyc: the 16-byte header and some code.
    bytecode: pruneFolder(join(cacheDir, runtimeCacheFolders.bytecode), (name, stat) => stale(name, stat) ?? (unused(stat) || stat.size <= 16)),
  };
  const total: PruneResult = { removedFiles: 0, removedBytes: 0, keptFiles: 0, keptBytes: 0 };
  for (const folder of Object.values(folders)) for (const key of Object.keys(total) as (keyof PruneResult)[]) total[key] += folder[key];
  return { ...total, folders };
}

/** The bundled runtime and every complete runtime in the cache. */
function runtimeDirectoriesOf(cacheDir: string): string[] {
  const root = join(cacheDir, "runtimes");
  const cached = existsSync(root) ? readdirSync(root).filter((name) => existsSync(join(root, name, ".kiln-complete"))) : [];
  return [bundledPyodideDir(), ...cached.map((name) => join(root, name))];
}

/** The names of the stdlib archives and start profiles that builds in use start with. */
async function liveEntries(cacheDir: string, directories: string[]): Promise<Set<string>> {
  const names = new Set<string>();
  const store = compiledStdlibStore(cacheDir);
  for (const directory of directories) {
    let files;
    try {
      files = withCompiledStdlib(await runtimeFilesIn(directory), store);
    } catch {
      continue; // not a runtime (any more): nothing of it is in use
    }
    names.add(compiledStdlibName(files.buildIdentity));
    names.add(startProfileName(files.buildIdentity));
    names.add(startProfileName(startProfileIdentity(files)));
    const glue = tryPatchedGlueName(directory);
    if (glue) for (const name of [`${glue}.mjs`, `${glue}.unrecognized`, glue]) names.add(name);
  }
  return names;
}

function tryPatchedGlueName(directory: string): string | undefined {
  try {
    return patchedGlueName(directory);
  } catch {
    return undefined; // a runtime without Pyodide 314's glue
  }
}

function isTemporary(name: string): boolean {
  return name.endsWith(".tmp");
}

/** Removes the files under `directory` that `remove` picks, then the directories left empty (not `directory`). */
function pruneFolder(directory: string, remove: (name: string, stat: Stats) => boolean): PruneResult {
  const result: PruneResult = { removedFiles: 0, removedBytes: 0, keptFiles: 0, keptBytes: 0 };
  walkTree(directory, {
    file: (path, name, stat) => {
      if (remove(name, stat)) {
        rmSync(path, { force: true });
        result.removedFiles++;
        result.removedBytes += stat.size;
      } else {
        result.keptFiles++;
        result.keptBytes += stat.size;
      }
    },
    leftDirectory: (path) => {
      try {
        rmdirSync(path);
      } catch {
        // not empty: something in it is kept
      }
    },
  });
  return result;
}
