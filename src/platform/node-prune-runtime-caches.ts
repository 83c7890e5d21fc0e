import { closeSync, existsSync, lstatSync, openSync, readdirSync, readFileSync, readSync, rmdirSync, rmSync, type Stats } from "node:fs";
import { join } from "node:path";
import { sumPruneResults, type PruneResult } from "../cache/index.js";
import { compiledStdlibName, readSnapshotKey, snapshotBuildIdentity, startProfileIdentity, startProfileName } from "../runtime/index.js";
import { bundledPyodideDir } from "./bundled-pyodide-dir.js";
import { kilnCacheFolders } from "./kiln-cache-folders.js";
import { compiledStdlibStore, withCompiledStdlib } from "./node-compiled-stdlib.js";
import { patchedGlueName } from "./node-patched-glue.js";
import { runtimeDescriptionBuildIdentity } from "./node-runtime-description.js";
import { runtimeFilesIn } from "./node-runtime-host.js";
import { walkTree } from "./node-walk-tree.js";

/** The folders {@link pruneRuntimeCaches} prunes (see `kilnCacheFolders`). */
export type RuntimeCacheFolder = "bytecode" | "stdlib" | "startProfiles" | "glue" | "linkLayouts" | "snapshots" | "runtimeDescriptions" | "sideModuleCode";

/** Options for {@link pruneRuntimeCaches}. */
export interface PruneRuntimeCachesOptions {
  /** Entries unused for longer than this are removed (the CLI's `--max-age`). */
  maxAgeMs: number;
  now?: number;
  /**
   * The Pyodide directories whose builds are in use: what kiln keeps for them is kept whatever
   * its age. Default: the bundled runtime and the complete runtimes in the cache's `runtimes/`.
   */
  runtimeDirectories?: string[];
}

/** What {@link pruneRuntimeCaches} did, in total and per folder. */
export interface RuntimeCachesPruneResult extends PruneResult {
  folders: Record<RuntimeCacheFolder, PruneResult>;
}

// Temporary files of writers (atomic renames, V8 traces) younger than this may still be in use.
const temporaryGraceMs = 3_600_000;

// A snapshot key longer than this is no key kiln wrote (keys are a few kilobytes at most).
const maxSnapshotKeyBytes = 1 << 20;

/**
 * Prunes what kiln derives from runtime builds, which the index cache's prune does not know:
 *
 * - `stdlib/` (byte-compiled standard libraries), `start-profiles/`, `glue/` (Pyodide's glue as
 *   kiln patches it, its script form and V8's code of that), `link-layouts/`, `snapshots/` (memory snapshots, each naming its build in
 *   its header; a preload snapshot's sidecars go with it) and `runtime-descriptions/`: an entry
 *   for a runtime build in use is kept; any other (a runtime that was upgraded or removed, or one
 *   of another kiln installation sharing the cache) once it has not been read for `maxAgeMs`, so a
 *   second kiln that still uses it keeps it. A snapshot or description that names no build
 *   (damaged, or of another format) goes at once.
 * - `bytecode/` (modules compiled at install, by source digest): entries not read for `maxAgeMs`,
 *   and damaged ones. Reuse reads an entry without rewriting it, so "read" is the file's access
 *   time where the file system keeps one (Linux's default `relatime` updates it daily), else the
 *   time it was written: a pruned module is only compiled again at its next install.
 * - `side-module-code/` (extension modules' compiled code, by the module's sha256): likewise,
 *   entries not read for `maxAgeMs` (a module no longer imported: another version installed); a
 *   pruned entry is written again by the next process that imports the module.
 *
 * Temporary files older than an hour go too, and directories the prune empties.
 *
 * @example
 * const result = await pruneRuntimeCaches(kilnCacheDir(process.env), { maxAgeMs: 30 * 86_400_000 });
 */
export async function pruneRuntimeCaches(cacheDir: string, options: PruneRuntimeCachesOptions): Promise<RuntimeCachesPruneResult> {
  const now = options.now ?? Date.now();
  const live = await liveBuilds(cacheDir, options.runtimeDirectories ?? runtimeDirectoriesOf(cacheDir));
  const unused = (stat: Stats) => now - Math.max(stat.atimeMs, stat.mtimeMs) > options.maxAgeMs;
  const stale = (name: string, stat: Stats) => (isTemporary(name) ? now - stat.mtimeMs > temporaryGraceMs : undefined);
  const ofRuntimeBuild = (name: string, stat: Stats) => stale(name, stat) ?? (!live.entryNames.has(name) && unused(stat));
  // What names no build is of no build kiln can use.
  const ofBuild = (build: string | undefined, stat: Stats) => build === undefined || (!live.builds.has(build) && unused(stat));
  const folder = (name: RuntimeCacheFolder) => join(cacheDir, kilnCacheFolders[name]);
  const folders: Record<RuntimeCacheFolder, PruneResult> = {
    stdlib: pruneFolder(folder("stdlib"), ofRuntimeBuild),
    startProfiles: pruneFolder(folder("startProfiles"), ofRuntimeBuild),
    glue: pruneFolder(folder("glue"), ofRuntimeBuild),
    linkLayouts: pruneFolder(folder("linkLayouts"), ofRuntimeBuild),
    snapshots: pruneFolder(folder("snapshots"), snapshotsToRemove(ofBuild, stale)),
    runtimeDescriptions: pruneFolder(folder("runtimeDescriptions"), (name, stat, path) => stale(name, stat) ?? ofBuild(runtimeDescriptionBuildIdentity(readOrEmpty(path)), stat)),
    // A kept module is a whole timestamp-based .pyc: the 16-byte header and some code.
    bytecode: pruneFolder(folder("bytecode"), (name, stat) => stale(name, stat) ?? (unused(stat) || stat.size <= 16)),
    sideModuleCode: pruneFolder(folder("sideModuleCode"), (name, stat) => stale(name, stat) ?? unused(stat)),
  };
  return { ...sumPruneResults(Object.values(folders)), folders };
}

/**
 * Which files of `snapshots/` go: a snapshot by its build, a sidecar (`NAME.SUFFIX`: a preload
 * snapshot's manifest, its recorded imports) with its snapshot (decided once for all of them,
 * whichever the walk meets first). Snapshot names hold no dot.
 */
function snapshotsToRemove(
  ofBuild: (build: string | undefined, stat: Stats) => boolean,
  stale: (name: string, stat: Stats) => boolean | undefined,
): (name: string, stat: Stats, path: string) => boolean {
  const decided = new Map<string, boolean>();
  const snapshotGoes = (path: string) => {
    let goes = decided.get(path);
    if (goes === undefined) {
      const stat = lstatSync(path, { throwIfNoEntry: false });
      goes = stat === undefined || ofBuild(snapshotBuildOf(path), stat);
      decided.set(path, goes);
    }
    return goes;
  };
  return (name, stat, path) => {
    const dot = name.indexOf(".");
    return stale(name, stat) ?? snapshotGoes(dot > 0 ? path.slice(0, path.length - name.length + dot) : path);
  };
}

/** The build a snapshot file names in its header, read without reading the snapshot itself. */
function snapshotBuildOf(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return undefined;
  }
  try {
    const key = readSnapshotKey((offset, length) => {
      const bytes = Buffer.alloc(Math.min(length, maxSnapshotKeyBytes));
      return bytes.subarray(0, readSync(fd, bytes, 0, bytes.length, offset));
    });
    return key === undefined ? undefined : snapshotBuildIdentity(key);
  } finally {
    closeSync(fd);
  }
}

/** The bundled runtime and every complete runtime in the cache. */
function runtimeDirectoriesOf(cacheDir: string): string[] {
  const root = join(cacheDir, kilnCacheFolders.runtimes);
  const cached = existsSync(root) ? readdirSync(root).filter((name) => existsSync(join(root, name, ".kiln-complete"))) : [];
  return [bundledPyodideDir(), ...cached.map((name) => join(root, name))];
}

/** The builds in use, and the names of the stdlib archives and start profiles they start with. */
async function liveBuilds(cacheDir: string, directories: string[]): Promise<{ builds: Set<string>; entryNames: Set<string> }> {
  const builds = new Set<string>();
  const entryNames = new Set<string>();
  const store = compiledStdlibStore(cacheDir);
  for (const directory of directories) {
    let files;
    try {
      files = withCompiledStdlib(await runtimeFilesIn(directory), store);
    } catch {
      continue; // not a runtime (any more): nothing of it is in use
    }
    builds.add(files.buildIdentity);
    entryNames.add(compiledStdlibName(files.buildIdentity));
    entryNames.add(startProfileName(files.buildIdentity));
    entryNames.add(startProfileName(startProfileIdentity(files)));
    const glue = tryPatchedGlueName(directory);
    if (glue) for (const name of [`${glue}.mjs`, `${glue}.js`, `${glue}.code`, `${glue}.loader.js`, `${glue}.loader.code`, `${glue}.unrecognized`, glue]) entryNames.add(name);
  }
  return { builds, entryNames };
}

function readOrEmpty(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch {
    return new Uint8Array(); // removed meanwhile, or unreadable: names no build
  }
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
function pruneFolder(directory: string, remove: (name: string, stat: Stats, path: string) => boolean): PruneResult {
  const result: PruneResult = { removedFiles: 0, removedBytes: 0, keptFiles: 0, keptBytes: 0 };
  walkTree(directory, {
    file: (path, name, stat) => {
      if (remove(name, stat, path)) {
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
