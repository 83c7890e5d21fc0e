import { chmodSync, closeSync, constants, fsyncSync, openSync, readFileSync, linkSync, lstatSync, mkdirSync, readdirSync, realpathSync, renameSync, rmdirSync, rmSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { copyFile, open } from "./node-fs-promises.js";
import { hostname } from "node:os";
import { sep } from "node:path";
import type { FileStat, InstallFileSystem, LockOwner } from "../installer/install-file-system.js";
import { processIsAlive } from "./node-process-alive.js";

function statOf(path: string): FileStat | undefined {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return undefined;
  const kind = stat.isFile() ? "file" : stat.isDirectory() ? "directory" : "other";
  return { kind, size: stat.size, mode: stat.mode & 0o7777, modifiedMs: stat.mtimeMs };
}

/**
 * Deletes a directory tree: one `readdir` per directory and one `unlink` or `rmdir` per entry,
 * without the checks and retries of Node 20's `rmSync` (a JavaScript rimraf: ~5 ms to remove a
 * transaction's few emptied directories in a cold process). Anything unexpected (an entry that
 * changes meanwhile, a platform's own rules) goes to `rmSync`, which handles it.
 */
function removeTree(path: string): void {
  try {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const child = `${path}/${entry.name}`;
      if (entry.isDirectory()) removeTree(child);
      else unlinkSync(child);
    }
    rmdirSync(path);
  } catch {
    rmSync(path, { recursive: true, force: true });
  }
}

/** Writes up to this size are made synchronously (see {@link nodeFileSystem}). */
const smallWrite = 64 * 1024;

function currentUmask(): number {
  const mask = process.umask(0o022);
  process.umask(mask);
  return mask;
}

/**
 * The Node.js {@link InstallFileSystem}: real files, `O_EXCL` for lock files, fsync for durable
 * writes, and process liveness from `kill(pid, 0)` for locks taken on this host.
 *
 * @example
 * await installWheels({ wheels, scheme: venvScheme("/path/.venv", "3.14"), fs: nodeFileSystem() });
 */
export function nodeFileSystem(): InstallFileSystem {
  const owner: LockOwner = { pid: process.pid, hostname: hostname() };
  // Read once: process.umask() with no argument is deprecated, and the mask does not change.
  const umask = currentUmask();
  // Metadata calls (stat, link, rename, mkdir), reads (the installer reads only small files:
  // manifests, METADATA, RECORD) and small or durable writes are made synchronously: each is a few
  // microseconds in the kernel, far less than a round trip through libuv's thread pool, whose
  // completions would also wait behind the synchronous calls. Large writes go through the pool.
  return {
    readFile: async (path) => {
      const buffer = readFileSync(path);
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    },
    async writeFile(path, data, options = {}) {
      const flags = constants.O_WRONLY | constants.O_CREAT | (options.exclusive ? constants.O_EXCL : constants.O_TRUNC);
      const mode = options.mode ?? 0o644;
      if (data.length <= smallWrite || options.durable) {
        const descriptor = openSync(path, flags, mode);
        try {
          writeFileSync(descriptor, data);
          if (options.durable) fsyncSync(descriptor);
        } finally {
          closeSync(descriptor);
        }
      } else {
        const handle = await open(path, flags, mode);
        try {
          await handle.writeFile(data);
        } finally {
          await handle.close();
        }
      }
      // open() applies the umask; wheels expect their recorded modes.
      if ((mode & ~umask) !== mode) chmodSync(path, mode);
    },
    link: async (from, to) => linkSync(from, to),
    // A reflink (copy-on-write clone) where the file system has them, else a plain copy.
    copyFile: (from, to) => copyFile(from, to, constants.COPYFILE_FICLONE | constants.COPYFILE_EXCL),
    mkdir: async (path) => void mkdirSync(path, { recursive: true }),
    rename: async (from, to) => renameSync(from, to),
    async remove(path, options = {}) {
      const stat = lstatSync(path, { throwIfNoEntry: false });
      if (stat === undefined) return;
      if (stat.isDirectory()) {
        // Synchronously, like the metadata calls: the trees removed are a transaction's emptied
        // staging directory or a cache entry, where the promise API's round trips cost more.
        if (options.recursive) removeTree(path);
        else rmdirSync(path);
      } else {
        try {
          unlinkSync(path);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
        }
      }
    },
    list: async (path) => readdirSync(path),
    stat: async (path) => statOf(path),
    realPath: async (path) => realpathSync.native(path).split(sep).join("/"),
    statMany: async (paths) => paths.map(statOf),
    async findChangedFile(directory, files, notModifiedAfterMs) {
      for (let index = 0; index < files.length; index++) {
        const file = files[index]!;
        const stat = lstatSync(`${directory}/${file.path}`, { throwIfNoEntry: false });
        if (stat === undefined || !stat.isFile() || stat.size !== file.size) return index;
        if (notModifiedAfterMs !== undefined && stat.mtimeMs > notModifiedAfterMs) return index;
      }
      return -1;
    },
    async linkMany(pairs) {
      for (let index = 0; index < pairs.length; index++) {
        try {
          linkSync(pairs[index]![0], pairs[index]![1]);
        } catch (error) {
          return { linked: index, error };
        }
      }
      return { linked: pairs.length };
    },
    setModified: async (path, timeMs) => utimesSync(path, timeMs / 1000, timeMs / 1000),
    exists: async (path) => {
      try {
        return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
      } catch {
        return false;
      }
    },
    lockOwner: () => owner,
    isAlive: (other) => (other.hostname === owner.hostname ? processIsAlive(other.pid) : undefined),
  };
}
