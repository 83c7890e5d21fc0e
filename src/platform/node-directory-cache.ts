import { randomUUID } from "node:crypto";
import { mkdir, readdir, rename, rm, stat, utimes } from "./node-fs-promises.js";
import { join } from "node:path";
import type { DirectoryCache } from "../project/index.js";

const dayMs = 24 * 60 * 60 * 1000;

/**
 * A {@link DirectoryCache} in a directory of kiln's cache: one subdirectory per key, filled under
 * a temporary name and renamed into place, so a reader never sees a half-written entry and two
 * writers of one key leave one complete entry. Using an entry marks it; after a write, only the
 * `maxEntries` most recently used entries are kept (and abandoned temporary ones are removed).
 *
 * @example
 * const wheels = new NodeDirectoryCache(join(kilnCacheDir(process.env), "project-wheels"), { maxEntries: 32 });
 * const directory = await wheels.store(key, (dir) => copyFile(built, join(dir, name)));
 */
export class NodeDirectoryCache implements DirectoryCache {
  constructor(
    readonly root: string,
    readonly options: { maxEntries: number },
  ) {}

  async find(key: string): Promise<string | undefined> {
    const path = this.pathOf(key);
    const found = await stat(path).catch(() => undefined);
    if (!found?.isDirectory()) return undefined;
    const now = new Date();
    await utimes(path, now, now).catch(() => undefined);
    return path;
  }

  async store(key: string, populate: (directory: string) => Promise<void>): Promise<string> {
    const path = this.pathOf(key);
    await mkdir(this.root, { recursive: true });
    const temporary = join(this.root, `.tmp-${randomUUID()}`);
    await mkdir(temporary);
    try {
      await populate(temporary);
      await rename(temporary, path).catch((error: NodeJS.ErrnoException) => {
        // Another writer finished the same entry first: theirs is as good as ours.
        if (error.code !== "EEXIST" && error.code !== "ENOTEMPTY") throw error;
      });
    } finally {
      await rm(temporary, { recursive: true, force: true });
    }
    await this.prune().catch(() => undefined);
    return path;
  }

  /** Keeps the `maxEntries` most recently used entries, and temporary ones younger than a day. */
  async prune(): Promise<void> {
    const now = Date.now();
    const entries = await Promise.all(
      (await readdir(this.root)).map(async (name) => ({ name, time: (await stat(join(this.root, name)).catch(() => undefined))?.mtimeMs ?? 0 })),
    );
    const stale = entries.filter((entry) => entry.name.startsWith(".tmp-") && now - entry.time > dayMs);
    const kept = entries.filter((entry) => !entry.name.startsWith(".tmp-")).sort((a, b) => b.time - a.time);
    for (const entry of [...stale, ...kept.slice(this.options.maxEntries)]) await rm(join(this.root, entry.name), { recursive: true, force: true });
  }

  private pathOf(key: string): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(key)) throw new RangeError(`Cache key "${key}" is not a safe file name`);
    return join(this.root, key);
  }
}
