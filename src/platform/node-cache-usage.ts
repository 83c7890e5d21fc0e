import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { kilnCacheFolders } from "./kiln-cache-folders.js";
import { walkTree } from "./node-walk-tree.js";

/** The space one top-level folder of a kiln cache takes. */
export interface CacheFolderUsage {
  name: string;
  /** What kiln keeps there, for folders it knows. */
  description?: string;
  files: number;
  bytes: number;
}

const descriptions: Record<string, string> = {
  blobs: "downloaded files (wheels, sdists) by sha256",
  http: "index pages",
  metadata: "core metadata of distributions",
  urls: "URLs of downloaded files",
  [kilnCacheFolders.unpackedWheels]: "unpacked wheels that installs link from",
  [kilnCacheFolders.bytecode]: "modules compiled at install, by source digest",
  [kilnCacheFolders.stdlib]: "byte-compiled standard libraries, one per runtime build",
  [kilnCacheFolders.startProfiles]: "start profiles of runtime builds",
  [kilnCacheFolders.wasmCode]: "V8's compiled code of runtime builds' wasm, per build and Node version",
  [kilnCacheFolders.glue]: "Pyodide's JavaScript glue patched by kiln, per runtime build",
  [kilnCacheFolders.linkLayouts]: "dynamic-linking layouts of runtime builds",
  [kilnCacheFolders.snapshots]: "memory snapshots of started runtimes",
  [kilnCacheFolders.runtimes]: "Pyodide runtimes fetched from npm",
  [kilnCacheFolders.runtimeDescriptions]: "what each runtime build offers (platform tags, versions)",
  [kilnCacheFolders.fileDigests]: "digests of local files, by path, size and time",
  [kilnCacheFolders.wheelMetadata]: "parsed metadata of wheels resolved before",
  [kilnCacheFolders.codeCache]: "V8's compiled code of kiln pip, kiln run and venv launchers, one file per bundle, build of kiln and Node version",
  [kilnCacheFolders.sideModuleCode]: "V8's compiled code of extension modules, by their sha256",
  [kilnCacheFolders.builtWheels]: "wheels built from sdists, by the sdist's sha256",
  [kilnCacheFolders.builds]: "scratch directories of builds in progress",
  [kilnCacheFolders.projectWheels]: "kiln test's wheels of the projects it tested",
  [kilnCacheFolders.testEnvironments]: "kiln test's environment templates",
  [kilnCacheFolders.testRuns]: "kiln test's run directories, one per template",
  [kilnCacheFolders.launchers]: "launchers of kiln run",
};

/**
 * The files and bytes under each top-level folder of a kiln cache, largest first (symbolic links
 * are counted, not followed; a file hard-linked into environments counts in full here).
 *
 * @example
 * for (const folder of cacheUsage(kilnCacheDir(process.env))) console.log(folder.name, folder.bytes);
 */
export function cacheUsage(cacheDir: string): CacheFolderUsage[] {
  let names: string[];
  try {
    names = readdirSync(cacheDir);
  } catch {
    return [];
  }
  const folders: CacheFolderUsage[] = [];
  for (const name of names) {
    const path = join(cacheDir, name);
    if (!lstatSync(path, { throwIfNoEntry: false })?.isDirectory()) continue;
    folders.push({ name, ...(descriptions[name] ? { description: descriptions[name] } : {}), ...sizeOf(path) });
  }
  return folders.sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : 1));
}

function sizeOf(directory: string): { files: number; bytes: number } {
  const total = { files: 0, bytes: 0 };
  walkTree(directory, {
    file: (_path, _name, stat) => {
      total.files++;
      total.bytes += stat.size;
    },
  });
  return total;
}
