import { randomName } from "../core/index.js";
import { errorCode, type FileStat, type InstallFileSystem } from "./install-file-system.js";
import { mapWithLimit, type ConcurrencyLimit } from "./concurrency-limit.js";
import { joinPath, parentPath } from "./paths.js";
import type { UnpackedFile, UnpackedWheel } from "./unpack-wheel.js";

/** A complete entry of the {@link UnpackedWheelCache}: a verified wheel whose files are on disk. */
export interface CachedWheel extends UnpackedWheel {
  /** The directory holding the wheel's files under their paths inside the wheel. */
  directory: string;
  /** See the manifest's `sealedMs`: no file of an intact entry was modified after it. */
  sealedMs?: number;
}

/** The manifest's name inside an entry, written before the entry is moved into place. */
const manifestName = "entry.json";
const manifestKind = "kiln-unpacked-wheel";
/** Temporary directories older than this are left over by killed processes. */
const staleTemporaryMs = 3_600_000;
/** An entry used within this long is not marked as used again: pruning works in days, and a mark is a write. */
const useMarkIntervalMs = 3_600_000;
const encoder = new TextEncoder();

/** Options for {@link UnpackedWheelCache.prune}. */
export interface UnpackedPruneOptions {
  /** Entries not used for longer than this are removed. */
  maxAgeMs: number;
  now?: number;
  limit: ConcurrencyLimit;
}

/** What {@link UnpackedWheelCache.prune} did; files and bytes are those the entries' manifests list. */
export interface UnpackedPruneResult {
  removedEntries: number;
  removedFiles: number;
  removedBytes: number;
  keptEntries: number;
  keptFiles: number;
  keptBytes: number;
}

interface Manifest {
  kind: typeof manifestKind;
  version: 1;
  sha256: string;
  filename: string;
  name: string;
  version_: string;
  distInfo: string;
  rootIsPurelib: boolean;
  wheelVersion: [number, number];
  entryPoints?: string;
  /** path, size, executable (1/0), sha256 digest (RECORD's urlsafe base64). */
  files: [string, number, number, string][];
  /**
   * The latest modification time of the entry's files when it was stored, by the file system's
   * own clock: a file modified since (edited in place through a hard link, replaced) is newer.
   * Entries written before kiln recorded it are checked by size alone.
   */
  sealedMs?: number;
}

/**
 * uv's cache of unpacked wheels, for kiln: each wheel is verified (every RECORD hash) and unpacked
 * once, into `<root>/sha256/<ab>/<sha256>/` (its files under `files/`, its manifest `entry.json`);
 * installs then link or copy the files from there instead of inflating and hashing again.
 *
 * Keyed by the sha256 of the wheel file, so an entry can only ever hold that wheel. An entry is
 * built in `<root>/tmp/` and renamed into place whole, so a reader sees a complete entry or none,
 * also with two kiln processes at once (the loser of the rename uses the winner's entry). Opening
 * an entry checks that every file of its manifest is there with its size and not modified since
 * the entry was stored (one stat per file, no reading): the files are hard-linked into
 * environments, so one edited in place in any of them changes the cache too. A damaged, partial
 * or modified entry is moved aside, deleted and rebuilt from the wheel. Opening an entry also
 * marks it as used (its manifest's modification time, at most hourly), which {@link prune} reads.
 *
 * @example
 * const cache = new UnpackedWheelCache({ fs: nodeFileSystem(), root: "/home/me/.cache/kiln/unpacked-v1" });
 * const entry = (await cache.open(sha256, limit)) ?? (await cache.store(sha256, await unpackWheel(bytes, filename, options), limit));
 */
export class UnpackedWheelCache {
  readonly fs: InstallFileSystem;
  readonly root: string;
  readonly #now: () => number;
  #cleanedTemporary = false;

  constructor(options: { fs: InstallFileSystem; root: string; now?: () => number }) {
    this.fs = options.fs;
    this.root = joinPath(options.root);
    this.#now = options.now ?? Date.now;
  }

  /** The directory of the entry for a wheel with this sha256. */
  entryDirectory(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new RangeError(`Not a sha256 hex digest: "${sha256}"`);
    return joinPath(this.root, "sha256", sha256.slice(0, 2), sha256);
  }

  /** Where a file of an entry is, by its path inside the wheel (relative and normal, so joined by concatenation). */
  static filePath(entry: CachedWheel, file: UnpackedFile): string {
    return `${entry.directory}/${file.path}`;
  }

  /** True when an entry for `sha256` is in place (not checked for damage: {@link open} does that). */
  has(sha256: string): Promise<boolean> {
    return this.fs.exists(joinPath(this.entryDirectory(sha256), manifestName));
  }

  /**
   * The complete entry for `sha256`, or undefined when there is none. A damaged entry (unreadable
   * manifest, a file missing or of the wrong size) is discarded and reported as missing.
   */
  async open(sha256: string, limit: ConcurrencyLimit): Promise<CachedWheel | undefined> {
    const directory = this.entryDirectory(sha256);
    let bytes: Uint8Array;
    try {
      bytes = await this.fs.readFile(joinPath(directory, manifestName));
    } catch (error) {
      if (errorCode(error) !== "ENOENT" && errorCode(error) !== "ENOTDIR") throw error;
      if (await this.fs.exists(directory)) await this.discard(directory);
      return undefined;
    }
    const entry = decodeManifest(bytes, sha256, joinPath(directory, "files"));
    if (entry === undefined || !(await this.#isComplete(entry, limit))) {
      await this.discard(directory);
      return undefined;
    }
    await this.#markUsed(joinPath(directory, manifestName));
    return entry;
  }

  /**
   * Removes entries not used for `maxAgeMs`, damaged entries (an unreadable manifest, a file
   * missing or of the wrong size, a name that is not a sha256) and temporary directories left by
   * killed processes. Files installed by hard link from a removed entry stay installed (they keep
   * their own link), so this never breaks an environment; an install running at the same time as
   * the prune may fail and can be run again.
   *
   * @example
   * const result = await cache.prune({ maxAgeMs: 30 * 86_400_000, limit: limitConcurrency(16) });
   */
  async prune(options: UnpackedPruneOptions): Promise<UnpackedPruneResult> {
    const now = options.now ?? this.#now();
    const result: UnpackedPruneResult = { removedEntries: 0, removedFiles: 0, removedBytes: 0, keptEntries: 0, keptFiles: 0, keptBytes: 0 };
    const temporary = joinPath(this.root, "tmp");
    for (const name of await this.#listIfPresent(temporary)) {
      const started = Number.parseInt(name.split("-")[0]!, 36);
      if (Number.isFinite(started) && now - started <= staleTemporaryMs) continue;
      await this.fs.remove(joinPath(temporary, name), { recursive: true });
      result.removedEntries++;
    }
    const byDigest = joinPath(this.root, "sha256");
    for (const prefix of await this.#listIfPresent(byDigest)) {
      const shard = joinPath(byDigest, prefix);
      for (const name of await this.#listIfPresent(shard)) {
        const { keep, files, bytes } = await this.#judge(shard, name, { now, maxAgeMs: options.maxAgeMs, limit: options.limit });
        if (keep) {
          result.keptEntries++;
          result.keptFiles += files;
          result.keptBytes += bytes;
        } else {
          await this.discard(joinPath(shard, name));
          result.removedEntries++;
          result.removedFiles += files;
          result.removedBytes += bytes;
        }
      }
      if ((await this.#listIfPresent(shard)).length === 0) await this.fs.remove(shard).catch(() => undefined);
    }
    return result;
  }

  /** Whether prune keeps the entry `<shard>/<name>`, and the files and bytes its manifest lists. */
  async #judge(shard: string, name: string, options: { now: number; maxAgeMs: number; limit: ConcurrencyLimit }): Promise<{ keep: boolean; files: number; bytes: number }> {
    const directory = joinPath(shard, name);
    const manifestPath = joinPath(directory, manifestName);
    const stat = await this.fs.stat(manifestPath);
    const entry = /^[0-9a-f]{64}$/.test(name) && stat?.kind === "file" ? decodeManifest(await this.fs.readFile(manifestPath), name, joinPath(directory, "files")) : undefined;
    if (entry === undefined) return { keep: false, files: 0, bytes: 0 };
    const files = entry.files.length + 1;
    const bytes = entry.files.reduce((sum, file) => sum + file.size, stat!.size);
    const fresh = stat!.modifiedMs === undefined || options.now - stat!.modifiedMs <= options.maxAgeMs;
    return { keep: fresh && (await this.#isComplete(entry, options.limit)), files, bytes };
  }

  async #listIfPresent(directory: string): Promise<string[]> {
    return (await this.fs.stat(directory))?.kind === "directory" ? this.fs.list(directory) : [];
  }

  /** Marks an entry as used now, unless it was marked within the last hour or the platform has no file times. */
  async #markUsed(manifestPath: string): Promise<void> {
    if (this.fs.setModified === undefined) return;
    const now = this.#now();
    const modified = (await this.fs.stat(manifestPath))?.modifiedMs;
    if (modified !== undefined && now - modified <= useMarkIntervalMs) return;
    // A read-only cache still installs; the entry just looks unused to prune.
    await this.fs.setModified(manifestPath, now).catch(() => undefined);
  }

  /**
   * Writes an unpacked wheel (its files' `data` must be present) as the entry for `sha256` and
   * returns the entry. When another process stored the same wheel first, its entry is returned.
   */
  async store(sha256: string, unpacked: UnpackedWheel, limit: ConcurrencyLimit): Promise<CachedWheel> {
    const final = this.entryDirectory(sha256);
    await this.#removeStaleTemporary();
    const temporary = joinPath(this.root, "tmp", `${Date.now().toString(36)}-${randomName(8)}`);
    let sealedMs: number | undefined;
    try {
      const files = joinPath(temporary, "files");
      const directories = new Map<string, Promise<void>>();
      const mkdir = (path: string) => {
        let made = directories.get(path);
        if (made === undefined) directories.set(path, (made = this.fs.mkdir(path)));
        return made;
      };
      await mkdir(files);
      await mapWithLimit(unpacked.files, limit, async (file) => {
        if (file.data === undefined) throw new TypeError(`${unpacked.filename}: "${file.path}" has no data to cache`);
        const path = joinPath(files, file.path);
        await mkdir(parentPath(path));
        await this.fs.writeFile(path, file.data, { mode: file.executable ? 0o755 : 0o644, exclusive: true });
      });
      sealedMs = await this.#latestModification(unpacked.files.map((file) => joinPath(files, file.path)), limit);
      await this.fs.writeFile(joinPath(temporary, manifestName), encoder.encode(JSON.stringify(encodeManifest(sha256, unpacked, sealedMs))), { durable: true });
      await this.fs.mkdir(parentPath(final));
      try {
        await this.fs.rename(temporary, final);
      } catch (error) {
        // Another process stored it first (a directory rename never replaces a non-empty one).
        if (!["EEXIST", "ENOTEMPTY", "EISDIR", "ENOTDIR"].includes(errorCode(error) ?? "")) throw error;
        const theirs = await this.open(sha256, limit);
        if (theirs) return theirs;
        await this.fs.rename(temporary, final);
      }
    } finally {
      await this.fs.remove(temporary, { recursive: true }).catch(() => undefined);
    }
    const stored: CachedWheel = { ...unpacked, files: unpacked.files.map(({ data: _data, ...file }) => file), directory: joinPath(final, "files") };
    return sealedMs === undefined ? stored : { ...stored, sealedMs };
  }

  /** Moves a damaged entry out of the way (atomically), then deletes it. */
  async discard(directory: string): Promise<void> {
    const aside = joinPath(this.root, "tmp", `${Date.now().toString(36)}-${randomName(8)}-damaged`);
    await this.fs.mkdir(parentPath(aside));
    try {
      await this.fs.rename(directory, aside);
    } catch (error) {
      if (errorCode(error) === "ENOENT") return;
      throw error;
    }
    await this.fs.remove(aside, { recursive: true });
  }

  async #isComplete(entry: CachedWheel, limit: ConcurrencyLimit): Promise<boolean> {
    if (this.fs.findChangedFile) return (await this.fs.findChangedFile(entry.directory, entry.files, entry.sealedMs)) === -1;
    const stats = await this.#statAll(entry.files.map((file) => UnpackedWheelCache.filePath(entry, file)), limit);
    const { sealedMs } = entry;
    return stats.every((stat, index) => {
      if (stat?.kind !== "file" || stat.size !== entry.files[index]!.size) return false;
      return sealedMs === undefined || stat.modifiedMs === undefined || stat.modifiedMs <= sealedMs;
    });
  }

  /** The latest modification time of `paths` (undefined where the platform keeps none), for the seal. */
  async #latestModification(paths: readonly string[], limit: ConcurrencyLimit): Promise<number | undefined> {
    let latest: number | undefined;
    for (const stat of await this.#statAll(paths, limit)) {
      if (stat?.modifiedMs === undefined) return undefined;
      latest = Math.max(latest ?? stat.modifiedMs, stat.modifiedMs);
    }
    return latest;
  }

  /** Stats many paths: in one call where the file system can, else a bounded number at a time. */
  #statAll(paths: readonly string[], limit: ConcurrencyLimit): Promise<(FileStat | undefined)[]> {
    return this.fs.statMany ? this.fs.statMany(paths) : mapWithLimit(paths, limit, (path) => this.fs.stat(path));
  }

  /** Deletes temporary directories of builds that a killed process left, once per cache object. */
  async #removeStaleTemporary(): Promise<void> {
    if (this.#cleanedTemporary) return;
    this.#cleanedTemporary = true;
    const directory = joinPath(this.root, "tmp");
    const names = (await this.fs.exists(directory)) ? await this.fs.list(directory) : [];
    for (const name of names) {
      const started = Number.parseInt(name.split("-")[0]!, 36);
      if (Number.isFinite(started) && Date.now() - started > staleTemporaryMs) await this.fs.remove(joinPath(directory, name), { recursive: true });
    }
  }
}

function encodeManifest(sha256: string, unpacked: UnpackedWheel, sealedMs: number | undefined): Manifest {
  return {
    kind: manifestKind,
    version: 1,
    sha256,
    filename: unpacked.filename,
    name: unpacked.name,
    version_: unpacked.version,
    distInfo: unpacked.distInfo,
    rootIsPurelib: unpacked.rootIsPurelib,
    wheelVersion: [unpacked.wheelVersion[0], unpacked.wheelVersion[1]],
    ...(unpacked.entryPoints === undefined ? {} : { entryPoints: unpacked.entryPoints }),
    files: unpacked.files.map((file) => [file.path, file.size, file.executable ? 1 : 0, file.hash.digest]),
    ...(sealedMs === undefined ? {} : { sealedMs }),
  };
}

/** An absolute path, or one with an empty, `.` or `..` segment. */
const unsafePath = /^$|^\/|\/$|\/\/|(?:^|\/)\.\.?(?:\/|$)/;

/** The entry a manifest describes, or undefined when it is not one this version of kiln wrote for `sha256`. */
function decodeManifest(bytes: Uint8Array, sha256: string, directory: string): CachedWheel | undefined {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(bytes)) as Manifest;
  } catch {
    return undefined;
  }
  if (manifest?.kind !== manifestKind || manifest.version !== 1 || manifest.sha256 !== sha256 || !Array.isArray(manifest.files)) return undefined;
  const { filename, name, version_: version, distInfo, rootIsPurelib, wheelVersion, entryPoints, sealedMs } = manifest;
  const strings = [filename, name, version, distInfo];
  if (!strings.every((value) => typeof value === "string") || typeof rootIsPurelib !== "boolean" || !Array.isArray(wheelVersion)) return undefined;
  if (sealedMs !== undefined && typeof sealedMs !== "number") return undefined;
  const files: UnpackedFile[] = [];
  for (const row of manifest.files) {
    if (!Array.isArray(row) || typeof row[0] !== "string" || typeof row[1] !== "number" || typeof row[3] !== "string") return undefined;
    // Paths were checked when the wheel was unpacked; a manifest edited to escape is refused again.
    if (unsafePath.test(row[0])) return undefined;
    files.push({ path: row[0], size: row[1], executable: row[2] === 1, hash: { algorithm: "sha256", digest: row[3] } });
  }
  return {
    filename,
    name,
    version,
    distInfo,
    rootIsPurelib,
    wheelVersion: [Number(wheelVersion[0]), Number(wheelVersion[1])],
    ...(typeof entryPoints === "string" ? { entryPoints } : {}),
    files,
    directory,
    ...(sealedMs === undefined ? {} : { sealedMs }),
  };
}
