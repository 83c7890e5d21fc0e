import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { withEnvironmentLock } from "./environment-lock.js";
import { memoryFileSystem } from "./memory-file-system.js";

const encoder = new TextEncoder();
const lockPath = "/env/.kiln-install/lock";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("concurrent holders are serialized and the lock is released", async () => {
  const fs = memoryFileSystem();
  const events: string[] = [];
  await Promise.all(
    [1, 2, 3].map((id) =>
      withEnvironmentLock("/env", fs, {}, async () => {
        events.push(`start ${id}`);
        await sleep(15);
        events.push(`end ${id}`);
      }),
    ),
  );
  for (let i = 0; i < events.length; i += 2) assert.equal(events[i]!.replace("start", "end"), events[i + 1]);
  assert.equal(await fs.exists(lockPath), false);
});

test("the lock is released when the action throws", async () => {
  const fs = memoryFileSystem();
  await assert.rejects(withEnvironmentLock("/env", fs, {}, async () => Promise.reject(new Error("boom"))), /boom/);
  assert.equal(await fs.exists(lockPath), false);
});

test("a lock left by a dead process on this host is recovered", async () => {
  const fs = memoryFileSystem({ owner: { pid: 10, hostname: "h" }, isAlive: (owner) => owner.pid === 10 });
  await fs.mkdir("/env/.kiln-install");
  await fs.writeFile(lockPath, encoder.encode(JSON.stringify({ pid: 99, hostname: "h", createdAt: "2020-01-01T00:00:00Z", nonce: "x" })));
  assert.equal(await withEnvironmentLock("/env", fs, { timeoutMs: 2000 }, async () => "ran"), "ran");
});

test("a half-written lock file is recovered after a wait", async () => {
  const fs = memoryFileSystem();
  await fs.mkdir("/env/.kiln-install");
  await fs.writeFile(lockPath, encoder.encode("{"));
  assert.equal(await withEnvironmentLock("/env", fs, { timeoutMs: 2000 }, async () => "ran"), "ran");
});

test("a live holder, or one on another host, makes kiln wait and then fail with a hint", async () => {
  for (const isAlive of [() => true, () => undefined]) {
    const fs = memoryFileSystem({ owner: { pid: 10, hostname: "h" }, isAlive });
    await fs.mkdir("/env/.kiln-install");
    await fs.writeFile(lockPath, encoder.encode(JSON.stringify({ pid: 11, hostname: "other", createdAt: "2020-01-01T00:00:00Z", nonce: "y" })));
    let waited = "";
    await assert.rejects(
      withEnvironmentLock("/env", fs, { timeoutMs: 100, onWait: (holder) => (waited = holder) }, async () => "ran"),
      (error) => isKilnError(error, "environmentLocked") && /process 11 on other/.test(error.message) && error.hint!.includes(lockPath),
    );
    assert.match(waited, /process 11 on other/);
    assert.equal(await fs.exists(lockPath), true, "someone else's lock is left alone");
  }
});
