import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { EnvironmentDirectories } from "./node-environment-directories.js";

function directoriesIn(root: string, templates: string[] = ["k1", "k2"], abandonedClaimMs?: number): EnvironmentDirectories {
  for (const key of templates) mkdirSync(join(root, "templates", key), { recursive: true });
  return new EnvironmentDirectories(join(root, "runs"), join(root, "templates"), abandonedClaimMs);
}

/** Runs `body` with a fresh root directory, removed afterwards. */
async function inTempRoot(body: (root: string) => Promise<void>): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), "kiln-env-dirs-"));
  try {
    await body(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Writes the lock of run directory `key` under `root`, as a run holding it would. */
function writeLock(root: string, key: string, content: string): void {
  mkdirSync(join(root, "runs", key), { recursive: true });
  writeFileSync(join(root, "runs", key, "lock"), content);
}

/** The id of a process that has exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout.trim());
}

test("one run at a time per template: a second run gets nothing until the first releases; other templates are independent", () =>
  inTempRoot(async (root) => {
    const directories = directoriesIn(root);
    const first = await directories.acquire("k1");
    assert.equal(first?.directory, join(root, "runs", "k1"));
    assert.equal(await directories.acquire("k1"), undefined);
    const other = await directories.acquire("k2");
    assert.ok(other);
    const concurrent = await Promise.all([1, 2, 3].map(() => directoriesIn(root).acquire("k1")));
    assert.deepEqual(concurrent, [undefined, undefined, undefined]);
    await first!.release();
    const racing = await Promise.all([1, 2, 3].map(() => directoriesIn(root).acquire("k1")));
    assert.equal(racing.filter(Boolean).length, 1, "exactly one of concurrent runs gets it");
    await Promise.all([...racing, other].map((lease) => lease?.release()));
  }));

test("a lock left by a process that is gone is taken over; a malformed one is left alone", () =>
  inTempRoot(async (root) => {
    const directories = directoriesIn(root);
    writeLock(root, "k1", String(deadPid()));
    const lease = await directories.acquire("k1");
    assert.ok(lease);
    await lease.release();
    writeLock(root, "k2", "");
    assert.equal(await directories.acquire("k2"), undefined, "a lock still being written belongs to a live process");
  }));

test("concurrent runs that all find a lock of a process that is gone: exactly one takes it over", () =>
  inTempRoot(async (root) => {
    const dead = deadPid();
    // Several rounds: which racer reads the stale lock when is up to the thread pool.
    for (let round = 0; round < 20; round++) {
      const key = `k${round}`;
      writeLock(root, key, String(dead));
      const racing = await Promise.all([1, 2, 3, 4, 5, 6].map(() => directoriesIn(root, [key]).acquire(key)));
      assert.equal(racing.filter(Boolean).length, 1, `round ${round}: exactly one run holds the directory`);
      assert.equal(readFileSync(join(root, "runs", key, "lock"), "utf8"), String(process.pid));
      await Promise.all(racing.map((lease) => lease?.release()));
    }
  }));

test("a take-over claim left by a run that died is stepped over once it is old; a recent one is respected", () =>
  inTempRoot(async (root) => {
    const cases = [
      { claims: 1, abandonedClaimMs: undefined, taken: false },
      { claims: 1, abandonedClaimMs: 0, taken: true },
      { claims: 3, abandonedClaimMs: 0, taken: true },
    ];
    for (const [index, { claims, abandonedClaimMs, taken }] of cases.entries()) {
      const key = `k${index}`;
      writeLock(root, key, String(deadPid()));
      const lock = join(root, "runs", key, "lock");
      const ino = statSync(lock).ino;
      // What a run that died after claiming (a hard link named after the stale lock's inode) leaves.
      for (let n = 0; n < claims; n++) linkSync(lock, `${lock}.stale-${ino}${n ? `.${n}` : ""}`);
      const lease = await directoriesIn(root, [key], abandonedClaimMs).acquire(key);
      assert.equal(Boolean(lease), taken, `case ${index}`);
      const left = readdirSync(join(root, "runs", key)).filter((name) => name.startsWith("lock.stale-"));
      assert.equal(left.length, taken ? 0 : claims, `case ${index}: claims left`);
      await lease?.release();
    }
  }));

test("what earlier runs left is removed; so are the directories of templates no longer cached, unless in use", () =>
  inTempRoot(async (root) => {
    const directories = directoriesIn(root);
    mkdirSync(join(root, "runs", "k1", "venv", "lib"), { recursive: true });
    writeFileSync(join(root, "runs", "k1", "venv", "lib", "file"), "old");
    mkdirSync(join(root, "runs", "gone", "venv"), { recursive: true });
    mkdirSync(join(root, "runs", "gone-in-use", "venv"), { recursive: true });
    writeFileSync(join(root, "runs", "gone-in-use", "lock"), String(process.pid));
    const lease = await directories.acquire("k1");
    assert.deepEqual(readdirSync(lease!.directory).filter((name) => !name.startsWith("old-")), ["lock"]);
    await Promise.all(directories.removals);
    assert.deepEqual(readdirSync(lease!.directory), ["lock"]);
    assert.equal(existsSync(join(root, "runs", "gone")), false);
    assert.equal(existsSync(join(root, "runs", "gone-in-use", "venv")), true);
    await assert.rejects(directories.acquire("../escape"), RangeError);
  }));
