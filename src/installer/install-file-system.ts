/** What {@link InstallFileSystem.stat} reports. Symbolic links are reported as `other`, not followed. */
export interface FileStat {
  kind: "file" | "directory" | "other";
  size: number;
  /** Permission bits, such as 0o755. */
  mode: number;
  /** Last modification, in ms since the epoch, where the platform keeps it. */
  modifiedMs?: number;
}

/** Options for {@link InstallFileSystem.writeFile}. */
export interface WriteFileOptions {
  /** Permission bits for the new file; default 0o644. */
  mode?: number;
  /** Fail with an error whose `code` is `EEXIST` if the file exists (used for lock files). */
  exclusive?: boolean;
  /** Flush to stable storage before returning (the unpacked-wheel cache seals an entry with it). */
  durable?: boolean;
}

/** Who holds a lock: enough to tell whether the holder is still running. */
export interface LockOwner {
  pid: number;
  hostname: string;
}

/**
 * The file operations the installer needs, so it runs on Node, in a browser (over Emscripten's
 * file system) or in memory. Paths are absolute and `/`-separated. Errors keep the platform's
 * `code` property (`ENOENT`, `EEXIST`, `ENOTEMPTY`, `ENOSPC`), as Node's do.
 *
 * @example
 * const fs: InstallFileSystem = nodeFileSystem(); // from src/platform/node-file-system.ts
 * await fs.writeFile("/env/x.txt", new TextEncoder().encode("hi"), { mode: 0o644 });
 */
export interface InstallFileSystem {
  readFile(path: string): Promise<Uint8Array>;
  /** Writes a whole file; the parent directory must exist. */
  writeFile(path: string, data: Uint8Array, options?: WriteFileOptions): Promise<void>;
  /** Creates a directory and its missing parents; an existing directory is fine. */
  mkdir(path: string): Promise<void>;
  /**
   * Makes `to` a hard link to the existing file `from` (both then share one inode). Fails with
   * the platform's code where links are impossible: `EXDEV` across devices, `EPERM`, `EMLINK`,
   * `ENOTSUP`; `EEXIST` when `to` exists.
   */
  link(from: string, to: string): Promise<void>;
  /** Copies the file `from` to `to` with its permission bits (a reflink where the platform can). */
  copyFile(from: string, to: string): Promise<void>;
  /** Atomically renames a file or directory, replacing a file at `to`. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file, or a directory (only if empty, unless `recursive`); a missing path is fine. */
  remove(path: string, options?: { recursive?: boolean }): Promise<void>;
  /** Names in a directory, unsorted. */
  list(path: string): Promise<string[]>;
  /** Describes a path without following symbolic links; undefined when it does not exist. */
  stat(path: string): Promise<FileStat | undefined>;
  exists(path: string): Promise<boolean>;
  /**
   * Optional: the path with every symbolic link in it resolved, as `realpath(3)` gives it; fails
   * with `ENOENT` when it does not exist. Absent on a file system without links; where present,
   * the installer neither writes nor deletes through a link that leads out of the environment.
   */
  realPath?(path: string): Promise<string>;
  /**
   * Optional batch form of {@link stat}, for platforms where one call for many paths is cheaper
   * than a promise per path: the installer checks each of a cached wheel's files with it.
   */
  statMany?(paths: readonly string[]): Promise<(FileStat | undefined)[]>;
  /**
   * Optional batch check, for platforms where one call for many files is cheaper than a stat
   * each: the index of the first of `files` (paths below `directory`, joined with `/`) that is
   * not a regular file of its `size`, or was modified after `notModifiedAfterMs` (when given and
   * the platform keeps times), else -1. The installer checks every file of a cached wheel with it
   * before linking them, without an object per file.
   */
  findChangedFile?(directory: string, files: readonly { path: string; size: number }[], notModifiedAfterMs?: number): Promise<number>;
  /**
   * Optional batch form of {@link link}: makes each `to` a hard link to its `from`, in order,
   * and stops at the first failure, which it returns (not throws) with how many links it made.
   */
  linkMany?(pairs: readonly (readonly [from: string, to: string])[]): Promise<{ linked: number; error?: unknown }>;
  /**
   * Sets a file's modification time (ms since the epoch), where the platform has one: caches
   * mark an entry as used with it, so pruning can tell unused entries.
   */
  setModified?(path: string, timeMs: number): Promise<void>;
  /** The current process, written into lock files. */
  lockOwner(): LockOwner;
  /** Whether a lock's owner still runs: true, false, or undefined when it cannot be told (another host). */
  isAlive(owner: LockOwner): boolean | undefined;
}

/** The `code` of a platform error (`ENOENT`, …), if any. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
