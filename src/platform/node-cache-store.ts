import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, unlink, writeFile } from "./node-fs-promises.js";
import { dirname, join, relative, sep } from "node:path";
import { checkCacheKey, indexCacheBuckets, useHostDigest, type CacheStore, type CacheStoreEntry } from "../cache/index.js";
import { KilnError } from "../core/index.js";
import { kilnCacheFolders } from "./kiln-cache-folders.js";

// Every cache record read is checked against its sha256: with node:crypto's synchronous hash
// rather than crypto.subtle's background job (see useHostDigest), in every Node process that
// has a cache.
useHostDigest((name, bytes) => createHash(name).update(bytes).digest("hex"));

const temporaryPrefix = ".tmp-";
/** How old an entry's time must be before a read refreshes it (for `kiln cache prune`). */
const touchIntervalMs = 60 * 60 * 1000;
const tag = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by kiln.\n# For information about cache directory tags see https://bford.info/cachedir/\n";

/**
 * A {@link CacheStore} in a directory: one file per key. Writes go to a temporary file in the
 * same directory and are renamed into place, which is atomic on every file system kiln supports,
 * so a reader (in this or another kiln process) sees the old file, the new one or none. Two
 * processes writing the same key both succeed; the last rename wins, and since keys name their
 * content (a hash) or carry a checksum, either copy is right. Reads refresh the file's time so
 * `kiln cache prune` can tell what is still used.
 *
 * @example
 * const store = new NodeCacheStore(kilnCacheDir(process.env));
 * await store.write("blobs/sha256/ab/ab12", bytes);
 */
export class NodeCacheStore implements CacheStore {
  private tagged = false;
  constructor(readonly root: string) {}

  /**
   * Reads synchronously: entries are local files read whole, and a resolver reads dozens at
   * once (index pages of megabytes, metadata records), which as asynchronous reads queue behind
   * each other in libuv's four-thread pool, five round trips each (open, read, stat, close), and
   * hold up the requests waiting on them.
   */
  async read(key: string): Promise<Uint8Array | undefined> {
    const path = this.pathOf(key);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw ioError("read", path, error);
    }
    // Prune works in days: touching an entry used within the last hour again only costs I/O.
    try {
      const now = new Date();
      if (now.getTime() - statSync(path).mtimeMs > touchIntervalMs) utimesSync(path, now, now);
    } catch {
      // A time that cannot be refreshed only makes prune see the entry as older.
    }
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async write(key: string, data: Uint8Array): Promise<void> {
    const path = this.pathOf(key);
    const temporary = join(dirname(path), `${temporaryPrefix}${process.pid}-${randomBytes(6).toString("hex")}`);
    try {
      await this.tagRoot();
      await mkdir(dirname(path), { recursive: true });
      await writeFile(temporary, data);
      await renameIntoPlace(temporary, path);
    } catch (error) {
      await unlink(temporary).catch(() => {});
      throw ioError("write", path, error);
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    try {
      await rm(path, { force: true });
    } catch (error) {
      throw ioError("delete", path, error);
    }
  }

  async list(prefix: string): Promise<CacheStoreEntry[]> {
    const entries: CacheStoreEntry[] = [];
    for (const path of await walk(prefix === "" ? this.root : this.pathOf(prefix))) {
      if (path.split(sep).pop()!.startsWith(temporaryPrefix) || path === join(this.root, "CACHEDIR.TAG")) continue;
      const info = await stat(path).catch(() => undefined);
      if (info?.isFile()) entries.push({ key: relative(this.root, path).split(sep).join("/"), size: info.size, modified: info.mtimeMs });
    }
    return entries;
  }

  /**
   * Deletes temporary files older than `olderThanMs` (left by a kiln process that was killed
   * mid-write); returns how many bytes they held. Younger ones may belong to a running kiln.
   */
  async removeStaleTemporaryFiles(olderThanMs: number, now = Date.now()): Promise<{ files: number; bytes: number }> {
    let files = 0;
    let bytes = 0;
    for (const path of await walk(this.root)) {
      if (!path.split(sep).pop()!.startsWith(temporaryPrefix)) continue;
      const info = await stat(path).catch(() => undefined);
      if (!info || now - info.mtimeMs < olderThanMs) continue;
      await rm(path, { force: true });
      files++;
      bytes += info.size;
    }
    return { files, bytes };
  }

  private pathOf(key: string): string {
    checkCacheKey(key);
    return join(this.root, ...key.split("/"));
  }

  /** Marks the root as a cache (CACHEDIR.TAG), so backup tools skip it and `clean` knows it. */
  private async tagRoot(): Promise<void> {
    if (this.tagged) return;
    await tagKilnCacheDirectory(this.root);
    this.tagged = true;
  }
}

/**
 * Creates `root` if needed and marks it as kiln's cache (CACHEDIR.TAG), so backup tools skip it
 * and `kiln cache clean` knows it may delete it. A directory that holds anything but kiln's
 * folders (a home or a project that KILN_CACHE_DIR or --cache-dir named by mistake) is left
 * unmarked: the tag is what lets `clean` delete the whole directory.
 *
 * @example
 * await tagKilnCacheDirectory(kilnCacheDir(process.env));
 */
export async function tagKilnCacheDirectory(root: string): Promise<void> {
  // Synchronously: a few system calls, where thread-pool round trips cost more on every command.
  mkdirSync(root, { recursive: true });
  const tagPath = join(root, "CACHEDIR.TAG");
  if (existsSync(tagPath)) return;
  const entries = readdirSync(root, { withFileTypes: true });
  if (!entries.every((entry) => entry.name.startsWith(temporaryPrefix) || (entry.isDirectory() && isKilnFolderName(entry.name)))) return;
  try {
    writeFileSync(tagPath, tag, { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}

/** The top-level folders kiln writes in its cache: its own, the index cache's buckets, audit's manifests. */
function isKilnFolderName(name: string): boolean {
  return (Object.values(kilnCacheFolders) as string[]).includes(name) || (indexCacheBuckets as readonly string[]).includes(name) || name === "audit-manifests";
}

/**
 * True when `directory` is a kiln cache that `kiln cache clean` may delete whole: it does not exist
 * or is empty, or it has kiln's CACHEDIR.TAG and, besides the tag, only directories (and
 * temporary files of writes in flight). A file beside the tag (`.bashrc`, `pyproject.toml`) means
 * the tag was put in a directory that is not only kiln's, as kiln before this check did.
 *
 * @example
 * if (await isKilnCacheDirectory(root)) await rm(root, { recursive: true, force: true });
 */
export async function isKilnCacheDirectory(directory: string): Promise<boolean> {
  const entries = await readdir(directory, { withFileTypes: true }).catch((error: unknown) => (isMissing(error) ? [] : undefined));
  if (entries === undefined) return false;
  if (entries.length === 0) return true;
  const text = await readFile(join(directory, "CACHEDIR.TAG"), "utf8").catch(() => "");
  return text.includes("created by kiln") && entries.every((entry) => entry.isDirectory() || entry.name === "CACHEDIR.TAG" || entry.name.startsWith(temporaryPrefix));
}

/**
 * True when `kiln cache prune` may work in `directory`: a kiln cache (see
 * {@link isKilnCacheDirectory}), or an unmarked one holding nothing but kiln's folders (`kiln run`
 * alone writes no tag). Prune deletes inside those folders only, and temporary files.
 *
 * @example
 * if (!(await isPrunableCacheDirectory(root))) throw new KilnError("cacheIo", "not a kiln cache");
 */
export async function isPrunableCacheDirectory(directory: string): Promise<boolean> {
  if (await isKilnCacheDirectory(directory)) return true;
  const entries = await readdir(directory, { withFileTypes: true }).catch(() => undefined);
  return entries !== undefined && entries.every((entry) => entry.isDirectory() && isKilnFolderName(entry.name));
}

/** Windows refuses to replace a file another process has open; the other copy is as good. */
async function renameIntoPlace(temporary: string, path: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(temporary, path);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== "EPERM" && code !== "EACCES" && code !== "EBUSY") || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
    }
  }
}

async function walk(directory: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error) || (error as NodeJS.ErrnoException).code === "ENOTDIR") return [];
    throw ioError("list", directory, error);
  }
  const paths: string[] = [];
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) paths.push(...(await walk(path)));
    else paths.push(path);
  }
  return paths;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === "ENOENT";
}

function ioError(action: string, path: string, error: unknown): KilnError {
  const code = (error as NodeJS.ErrnoException)?.code;
  return new KilnError("cacheIo", `Cannot ${action} the cache entry ${path}: ${(error as Error).message ?? error}`, {
    cause: error,
    hint:
      code === "ENOSPC"
        ? "The disk is full; free space or run `kiln cache prune`"
        : "Check the permissions of the cache directory, or point KILN_CACHE_DIR elsewhere",
  });
}
