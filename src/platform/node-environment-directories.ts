import { randomUUID } from "node:crypto";
import { link, mkdir, open, readdir, rename, rm, stat, unlink, writeFile } from "./node-fs-promises.js";
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
 * exclusive create (a hard link), taken over when its process is gone, by one run only however
 * many find it stale at once. The environment an earlier run left
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
    /** After how long without change a take-over claim of a stale lock counts as abandoned by a run that died. */
    readonly abandonedClaimMs = 10_000,
  ) {}

  /** The key's directory, emptied of earlier runs' files; undefined while another live process holds it. */
  async acquire(key: string): Promise<EnvironmentDirectoryLease | undefined> {
    if (!/^[\w-]+$/.test(key)) throw new RangeError(`Not a template key: "${key}"`);
    const directory = join(this.root, key);
    await mkdir(directory, { recursive: true });
    const lock = join(directory, "lock");
    if (!(await takeLock(lock, this.abandonedClaimMs))) return undefined;
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
        if (!(await takeLock(join(directory, "lock"), this.abandonedClaimMs))) continue;
        await rm(directory, { recursive: true, force: true });
      }
    })();
    this.removals.push(removal.catch(() => undefined));
  }

  private removeInBackground(path: string): void {
    this.removals.push(rm(path, { recursive: true, force: true }).catch(() => undefined));
  }
}

/**
 * Creates the lock file with this process's id (an exclusive create); takes it over from a
 * process that is gone. Concurrent runs that all find the same stale lock race for the take-over
 * atomically (see {@link takeOver}): exactly one of them gets it.
 */
async function takeLock(path: string, abandonedClaimMs: number): Promise<boolean> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(path, String(process.pid), { flag: "wx" });
      return true;
    } catch {
      // held (or being written): whose is it?
    }
    const held = await readLock(path);
    if (held === undefined) continue; // released meanwhile
    // A lock being written has no id yet: its writer is alive.
    if (!Number.isInteger(held.pid) || held.pid <= 0 || processIsAlive(held.pid)) return false;
    return takeOver(path, held, abandonedClaimMs);
  }
  return false;
}

/**
 * Replaces a stale lock (the file `held` was read from) with this process's. The take-over is
 * claimed by hard-linking the lock to a name derived from its inode: only one process can create
 * that link, and a process that read the stale lock before another replaced it links the new lock
 * instead, which its inode and id tell apart, so it backs off. The claimer then renames its own
 * lock over the stale one, so the lock file never goes missing in between.
 *
 * A claimer that dies between its link and its clean-up leaves its claim behind. Every link
 * changes the inode's change time, so a claim whose inode has not changed for
 * `abandonedClaimMs` (a take-over takes milliseconds) was abandoned: the next claimer claims
 * under the next name of the inode's series instead (removing the old claim could remove a live
 * one that replaced it). The winner removes the whole series.
 */
async function takeOver(path: string, held: { ino: number; pid: number }, abandonedClaimMs: number): Promise<boolean> {
  const claims = Array.from({ length: MAX_CLAIMS }, (_, n) => `${path}.stale-${held.ino}${n ? `.${n}` : ""}`);
  for (const claim of claims) {
    try {
      await link(path, claim);
    } catch {
      const other = await stat(claim).catch(() => undefined);
      // Another run is taking it over (or the lock is gone): that run, or the next, has it.
      if (other?.ino !== held.ino || Date.now() - other.ctimeMs < abandonedClaimMs) return false;
      continue; // an abandoned claim: try the next name
    }
    try {
      const claimed = await readLock(claim);
      if (claimed?.ino !== held.ino || claimed.pid !== held.pid) return false;
      if (!(await replaceLock(path))) return false;
      await Promise.all(claims.map((name) => unlink(name).catch(() => undefined)));
      return true;
    } finally {
      await unlink(claim).catch(() => undefined);
    }
  }
  return false;
}

/** How many abandoned take-overs of one stale lock are stepped over before giving up on it. */
const MAX_CLAIMS = 8;

/** Renames a lock with this process's id over `path`; false when that fails. */
async function replaceLock(path: string): Promise<boolean> {
  const temporary = `${path}.${process.pid}.${randomUUID()}.tmp`;
  try {
    await writeFile(temporary, String(process.pid), { flag: "wx" });
    await rename(temporary, path);
    return true;
  } catch {
    return false;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

/** The lock's inode and holder, read from one open file; undefined when there is none. */
async function readLock(path: string): Promise<{ ino: number; pid: number } | undefined> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch {
    return undefined;
  }
  try {
    const [stat, text] = await Promise.all([handle.stat(), handle.readFile("utf8")]);
    return { ino: stat.ino, pid: Number(text.trim()) };
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}
