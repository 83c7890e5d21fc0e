import { KilnError, randomName } from "../core/index.js";
import { errorCode, type InstallFileSystem, type LockOwner } from "./install-file-system.js";
import { joinPath } from "./paths.js";

/** The directory under an environment's prefix that holds kiln's install lock and journal. */
export const installStateDirectory = ".kiln-install";

/** What a lock file says about its holder. */
interface LockRecord extends LockOwner {
  createdAt: string;
  /** Tells apart two locks of the same pid, so a stale lock is never confused with a new one. */
  nonce: string;
}

/** Options for {@link withEnvironmentLock}. */
export interface EnvironmentLockOptions {
  /** How long to wait for a live holder; default 60 s. */
  timeoutMs?: number;
  /** Called once when the lock is held by someone else and kiln starts waiting. */
  onWait?: (holder: string) => void;
}

const encoder = new TextEncoder();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function describe(record: LockRecord | undefined): string {
  return record ? `process ${record.pid} on ${record.hostname} since ${record.createdAt}` : "an unknown process";
}

async function readLock(fs: InstallFileSystem, path: string): Promise<LockRecord | undefined> {
  try {
    const parsed = JSON.parse(new TextDecoder().decode(await fs.readFile(path))) as Partial<LockRecord>;
    if (typeof parsed.pid !== "number" || typeof parsed.hostname !== "string" || typeof parsed.nonce !== "string") return undefined;
    return parsed as LockRecord;
  } catch {
    // Unreadable or half-written: a process died between creating and filling the file.
    return undefined;
  }
}

async function tryCreate(fs: InstallFileSystem, path: string, record: LockRecord): Promise<boolean> {
  try {
    // Not fsynced: after a crash an empty or partial lock file is unreadable, and an unreadable
    // lock that stays so is broken (see withEnvironmentLock), so durability would buy nothing.
    await fs.writeFile(path, encoder.encode(JSON.stringify(record)), { exclusive: true });
    return true;
  } catch (error) {
    if (errorCode(error) === "EEXIST") return false;
    throw error;
  }
}

/**
 * Removes a lock whose holder is dead. Two processes may find the same stale lock; breaking it
 * under a second, short-lived lock and re-reading it first means neither removes a fresh lock the
 * other has just taken.
 */
async function breakStaleLock(fs: InstallFileSystem, path: string, stale: LockRecord | undefined, me: LockRecord): Promise<void> {
  const breaker = `${path}.break`;
  if (!(await tryCreate(fs, breaker, me))) {
    const holder = await readLock(fs, breaker);
    if (holder !== undefined && fs.isAlive(holder) === false) await fs.remove(breaker);
    return;
  }
  try {
    const current = await readLock(fs, path);
    if (current?.nonce === stale?.nonce) await fs.remove(path);
  } finally {
    await fs.remove(breaker);
  }
}

/**
 * Runs `action` while holding the environment's install lock (`<prefix>/.kiln-install/lock`, a
 * file with the holder's pid, host and start time). A live holder is waited for; a lock whose
 * holder has died on this host is recovered; a holder on another host is waited for until the
 * timeout, then reported with a hint.
 *
 * @example
 * await withEnvironmentLock("/work/.venv", fs, {}, async () => { ... });
 */
export async function withEnvironmentLock<T>(prefix: string, fs: InstallFileSystem, options: EnvironmentLockOptions, action: () => Promise<T>): Promise<T> {
  const directory = joinPath(prefix, installStateDirectory);
  const path = joinPath(directory, "lock");
  await fs.mkdir(directory);
  const me: LockRecord = { ...fs.lockOwner(), createdAt: new Date().toISOString(), nonce: randomName(16) };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let delay = 20;
  let waiting = false;
  while (!(await tryCreate(fs, path, me))) {
    const holder = await readLock(fs, path);
    const alive = holder === undefined ? undefined : fs.isAlive(holder);
    if (alive === false || (holder === undefined && (await fs.exists(path)))) {
      // An unreadable lock is only broken once it stays unreadable for a while: its creator may
      // be between creating and writing it.
      if (holder !== undefined || waiting) await breakStaleLock(fs, path, holder, me);
    }
    if (Date.now() > deadline) {
      throw new KilnError("environmentLocked", `Cannot lock environment "${prefix}": held by ${describe(holder)}`, {
        hint: `Wait for the other kiln process to finish; if none is running, delete ${path}`,
      });
    }
    if (!waiting) options.onWait?.(describe(holder));
    waiting = true;
    await sleep(delay);
    delay = Math.min(delay * 2, 500);
  }
  try {
    return await action();
  } finally {
    const current = await readLock(fs, path);
    if (current?.nonce === me.nonce) await fs.remove(path);
  }
}
