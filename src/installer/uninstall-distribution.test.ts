import { strict as assert } from "node:assert";
import { test } from "node:test";
import { installStateDirectory } from "./environment-lock.js";
import type { InstallFileSystem } from "./install-file-system.js";
import { venvScheme } from "./install-scheme.js";
import { memoryFileSystem } from "./memory-file-system.js";
import { Transaction } from "./transaction.js";
import { recoverEnvironment } from "./uninstall-distribution.js";

const prefix = "/env";
const scheme = venvScheme(prefix, "3.14");

/** The memory file system, with every file written recorded. */
function recorded(): { fs: InstallFileSystem; written: string[] } {
  const fs = memoryFileSystem();
  const written: string[] = [];
  return { fs: { ...fs, writeFile: (path, data, options) => (written.push(path), fs.writeFile(path, data, options)) }, written };
}

test("recoverEnvironment on an environment with nothing to repair takes no lock (writes nothing)", async () => {
  const { fs, written } = recorded();
  await fs.mkdir(scheme.purelib);
  assert.deepEqual(await recoverEnvironment({ scheme, fs }), { rolledBack: 0, finished: 0, discarded: 0 });
  await fs.mkdir(`${prefix}/${installStateDirectory}`);
  assert.deepEqual(await recoverEnvironment({ scheme, fs }), { rolledBack: 0, finished: 0, discarded: 0 });
  assert.deepEqual(written, []);
});

test("recoverEnvironment repairs a transaction a killed process left, under the lock", async () => {
  const { fs, written } = recorded();
  await fs.mkdir(scheme.purelib);
  // Staged, never committed (no journal): what a process killed while staging leaves.
  const transaction = await Transaction.begin(fs, prefix, [scheme.purelib]);
  await transaction.stageFile(`${scheme.purelib}/a.py`, new TextEncoder().encode("a"), 0o644);
  assert.deepEqual(await recoverEnvironment({ scheme, fs }), { rolledBack: 0, finished: 0, discarded: 1 });
  assert.ok(written.includes(`${prefix}/${installStateDirectory}/lock`), written.join(", "));
  assert.deepEqual(await fs.list(`${prefix}/${installStateDirectory}`), []);
  assert.equal(await fs.exists(`${scheme.purelib}/a.py`), false);
});
