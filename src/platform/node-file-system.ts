import { constants } from "node:fs";
import { chmod, copyFile, link, lstat, mkdir, open, readdir, readFile, rename, rm, rmdir, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import type { FileStat, InstallFileSystem, LockOwner } from "../installer/install-file-system.js";

/**
 * True when a process with this pid runs on this machine. `kill(pid, 0)` sends nothing; EPERM
 * means the process exists but belongs to someone else.
 */
function processIsAlive(pid: number): boolean {
  // 0 and negative pids address process groups, not a process.
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function currentUmask(): number {
  const mask = process.umask(0o022);
  process.umask(mask);
  return mask;
}

/**
 * The Node.js {@link InstallFileSystem}: real files, `O_EXCL` for lock files, fsync for the
 * journal, and process liveness from `kill(pid, 0)` for locks taken on this host.
 *
 * @example
 * await installWheels({ wheels, scheme: venvScheme("/path/.venv", "3.14"), fs: nodeFileSystem() });
 */
export function nodeFileSystem(): InstallFileSystem {
  const owner: LockOwner = { pid: process.pid, hostname: hostname() };
  // Read once: process.umask() with no argument is deprecated, and the mask does not change.
  const umask = currentUmask();
  return {
    readFile: async (path) => new Uint8Array(await readFile(path)),
    async writeFile(path, data, options = {}) {
      const flags = constants.O_WRONLY | constants.O_CREAT | (options.exclusive ? constants.O_EXCL : constants.O_TRUNC);
      const mode = options.mode ?? 0o644;
      const handle = await open(path, flags, mode);
      try {
        await handle.writeFile(data);
        if (options.durable) await handle.sync();
      } finally {
        await handle.close();
      }
      // open() applies the umask; wheels expect their recorded modes.
      if ((mode & ~umask) !== mode) await chmod(path, mode);
    },
    link: (from, to) => link(from, to),
    // A reflink (copy-on-write clone) where the file system has them, else a plain copy.
    copyFile: (from, to) => copyFile(from, to, constants.COPYFILE_FICLONE | constants.COPYFILE_EXCL),
    mkdir: async (path) => void (await mkdir(path, { recursive: true })),
    rename: (from, to) => rename(from, to),
    async remove(path, options = {}) {
      const stat = await lstat(path).catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return undefined;
        throw error;
      });
      if (stat === undefined) return;
      if (stat.isDirectory()) {
        if (options.recursive) await rm(path, { recursive: true, force: true });
        else await rmdir(path);
      } else {
        await unlink(path).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== "ENOENT") throw error;
        });
      }
    },
    list: (path) => readdir(path),
    async stat(path): Promise<FileStat | undefined> {
      try {
        const stat = await lstat(path);
        const kind = stat.isFile() ? "file" : stat.isDirectory() ? "directory" : "other";
        return { kind, size: stat.size, mode: stat.mode & 0o7777 };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
    },
    exists: async (path) => (await lstat(path).catch(() => undefined)) !== undefined,
    lockOwner: () => owner,
    isAlive: (other) => (other.hostname === owner.hostname ? processIsAlive(other.pid) : undefined),
  };
}
