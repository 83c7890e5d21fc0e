import { randomUUID } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { processIsAlive } from "./node-process-alive.js";

/** A directory handed to one run at a time (see {@link EnvironmentDirectories.acquire}). */
export interface EnvironmentDirectoryLease {
  directory: string;
  release(): Promise<void>;
}

/**
 * `kiln test`'s directories per environment template (`<cache>/test-runs/<template key>/`), each
 * used by one run at a time: a lock file (`lock`, holding the run's process id) taken with an
 * exclusive create, taken over when its process is gone. The environment an earlier run left
 * there is moved aside and removed in the background while the new run goes on, and the
 * directories of templates no longer in the cache are removed likewise.
 *
 * @example
 * const lease = await new EnvironmentDirectories(join(cacheDir, "test-runs"), join(cacheDir, "test-environments")).acquire(key);
 * if (lease) try { ... `${lease.directory}/venv` ... } finally { await lease.release(); }
 */
export class EnvironmentDirectories {
  /** Removals still running (kiln waits for them before it exits, as Node does for any file operation). */
  readonly removals: Promise<void>[] = [];

  constructor(
    readonly root: string,
    /** Where the templates are, one directory per key: a run directory without its template is removed. */
    readonly templates: string,
  ) {}

  /** The key's directory, emptied of earlier runs' files; undefined while another live process holds it. */
  async acquire(key: string): Promise<EnvironmentDirectoryLease | undefined> {
    if (!/^[\w-]+$/.test(key)) throw new RangeError(`Not a template key: "${key}"`);
    const directory = join(this.root, key);
    await mkdir(directory, { recursive: true });
    const lock = join(directory, "lock");
    if (!(await takeLock(lock))) return undefined;
    await this.clearEarlierRuns(directory);
    this.removeOrphans(key);
    return { directory, release: () => unlink(lock).catch(() => undefined) };
  }

  private async clearEarlierRuns(directory: string): Promise<void> {
    for (const name of await readdir(directory)) {
      if (name === "lock") continue;
      const aside = name.startsWith("old-") ? join(directory, name) : join(directory, `old-${randomUUID()}`);
      if (!name.startsWith("old-")) await rename(join(directory, name), aside);
      this.removeInBackground(aside);
    }
  }

  private removeOrphans(current: string): void {
    const removal = (async () => {
      for (const name of await readdir(this.root)) {
        if (name === current || (await stat(join(this.templates, name)).catch(() => undefined))) continue;
        const directory = join(this.root, name);
        if (!(await takeLock(join(directory, "lock")))) continue;
        await rm(directory, { recursive: true, force: true });
      }
    })();
    this.removals.push(removal.catch(() => undefined));
  }

  private removeInBackground(path: string): void {
    this.removals.push(rm(path, { recursive: true, force: true }).catch(() => undefined));
  }
}

/** Creates the lock file with this process's id; takes it over from a process that is gone. */
async function takeLock(path: string): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") return false;
      const holder = Number((await readFile(path, "utf8").catch(() => "")).trim());
      // A lock being written has no id yet: its writer is alive.
      if (!Number.isInteger(holder) || holder <= 0 || processIsAlive(holder)) return false;
      await unlink(path).catch(() => undefined);
    }
  }
  return false;
}
