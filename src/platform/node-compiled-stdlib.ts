import { closeSync, fstatSync, openSync, readSync, rmSync } from "node:fs";
import { join } from "node:path";
import { compiledStdlibName, type RuntimeFiles } from "../runtime/index.js";
import { kilnCacheFolders } from "./kiln-cache-folders.js";
import { DirectoryBlobStore } from "./node-blob-store.js";

/**
 * Where a kiln cache directory keeps byte-compiled standard libraries (`stdlib/`), one per runtime
 * build; a few builds' worth are kept.
 *
 * @example
 * const store = compiledStdlibStore(kilnCacheDir(process.env));
 */
export function compiledStdlibStore(cacheDir: string): DirectoryBlobStore {
  return new DirectoryBlobStore(join(cacheDir, kilnCacheFolders.stdlib), { maxEntries: 4 });
}

/**
 * `files` with `stdlib` set when the store holds a compiled standard library for its build. The
 * identity is the file's name, size and modification time, so a rewritten archive gets snapshots
 * of its own. An archive whose end does not read as a whole zip file (truncated, overwritten) is
 * removed and the runtime's own is used: the next venv compiles it again.
 *
 * @example
 * const files = withCompiledStdlib(await runtimeFilesIn(dir), compiledStdlibStore(cacheDir));
 */
export function withCompiledStdlib(files: RuntimeFiles, store: DirectoryBlobStore): RuntimeFiles {
  const name = compiledStdlibName(files.buildIdentity);
  const path = store.pathOf(name);
  const found = wholeZipFile(path);
  if (found === "absent") return files;
  if (found === "damaged") {
    rmSync(path, { force: true });
    return files;
  }
  return { ...files, stdlib: { url: path, identity: `${name}:${found.size}:${Math.trunc(found.mtimeMs)}` } };
}

// The end of central directory record (APPNOTE 4.3.16), which kiln's archives end with (no
// comment): its central directory must end right where the record starts.
const endRecordSize = 22;

function wholeZipFile(path: string): { size: number; mtimeMs: number } | "absent" | "damaged" {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return "absent";
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size < endRecordSize) return "damaged";
    const tail = Buffer.alloc(endRecordSize);
    if (readSync(fd, tail, 0, endRecordSize, stat.size - endRecordSize) !== endRecordSize) return "damaged";
    const whole = tail.readUInt32LE(0) === 0x06054b50 && tail.readUInt32LE(12) + tail.readUInt32LE(16) === stat.size - endRecordSize;
    return whole ? { size: stat.size, mtimeMs: stat.mtimeMs } : "damaged";
  } finally {
    closeSync(fd);
  }
}
