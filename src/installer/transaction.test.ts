import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { installStateDirectory } from "./environment-lock.js";
import type { InstallFileSystem } from "./install-file-system.js";
import { memoryFileSystem, type MemoryFileSystem } from "./memory-file-system.js";
import { hasTransactions, recoverTransactions, Transaction } from "./transaction.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const prefix = "/env";
const roots = ["/env/lib/site-packages", "/env/bin", "/env"];

async function leftovers(fs: InstallFileSystem): Promise<string[]> {
  const state = `${prefix}/${installStateDirectory}`;
  return (await fs.exists(state)) ? fs.list(state) : [];
}

/** The environment without kiln's own state directory, as text. */
function view(fs: MemoryFileSystem): Record<string, string> {
  return Object.fromEntries([...fs.snapshot()].filter(([path]) => !path.startsWith(`${prefix}/${installStateDirectory}`)).map(([path, data]) => [path, decoder.decode(data)]));
}

async function oldEnvironment(): Promise<MemoryFileSystem> {
  const fs = memoryFileSystem();
  await fs.mkdir("/env/lib/site-packages/old");
  await fs.mkdir("/env/bin");
  await fs.writeFile("/env/lib/site-packages/old/a.py", encoder.encode("old a"));
  await fs.writeFile("/env/lib/site-packages/old/b.py", encoder.encode("old b"));
  await fs.writeFile("/env/lib/site-packages/keep.py", encoder.encode("keep"));
  await fs.writeFile("/env/bin/tool", encoder.encode("old tool"));
  return fs;
}

/** Replaces old/ with new/, overwrites bin/tool, adds files in new directories. */
async function change(fs: InstallFileSystem): Promise<void> {
  const transaction = await Transaction.begin(fs, prefix, roots);
  transaction.removeFile("/env/lib/site-packages/old/a.py");
  transaction.removeFile("/env/lib/site-packages/old/b.py");
  transaction.removeFile("/env/bin/tool");
  await transaction.stageFile("/env/bin/tool", encoder.encode("new tool"), 0o755);
  await transaction.stageFile("/env/lib/site-packages/new/deep/c.py", encoder.encode("new c"), 0o644);
  await transaction.stageFile("/env/share/man/c.1", encoder.encode("man"), 0o644);
  await transaction.commit();
}

const newView = {
  "/env/bin/tool": "new tool",
  "/env/lib/site-packages/keep.py": "keep",
  "/env/lib/site-packages/new/deep/c.py": "new c",
  "/env/share/man/c.1": "man",
};

test("a committed transaction applies every change and cleans up emptied directories", async () => {
  const fs = await oldEnvironment();
  await change(fs);
  assert.deepEqual(view(fs), newView);
  assert.equal(await fs.exists("/env/lib/site-packages/old"), false);
  assert.deepEqual(await fs.list(`${prefix}/${installStateDirectory}`), []);
  assert.equal((await fs.stat("/env/bin/tool"))?.mode, 0o755);
});

/**
 * A file system that dies after `budget` mutating calls: the call that exhausts it and every later
 * call fail, as if the process had been killed there. Reads keep working until the crash.
 */
function dyingFileSystem(inner: InstallFileSystem, budget: number): InstallFileSystem & { dead: () => boolean } {
  let left = budget;
  const mutating = new Set(["writeFile", "mkdir", "rename", "remove"]);
  const wrapped = new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (left <= 0) return Promise.reject(Object.assign(new Error("killed"), { code: "EKILLED" }));
        if (mutating.has(String(key))) left--;
        return value.apply(target, args);
      };
    },
  });
  return Object.assign(wrapped, { dead: () => left <= 0 });
}

test("a crash after any number of steps recovers to exactly the old or the new state", async () => {
  const oldView = view(await oldEnvironment());
  let sawOld = 0;
  let sawNew = 0;
  for (let budget = 0; ; budget++) {
    const fs = await oldEnvironment();
    const dying = dyingFileSystem(fs, budget);
    const completed = await change(dying).then(() => true, () => false);
    await recoverTransactions(fs, prefix);
    // Recovery itself may be interrupted and re-run.
    const state = view(fs);
    if (JSON.stringify(state) === JSON.stringify(oldView)) sawOld++;
    else if (JSON.stringify(state) === JSON.stringify(newView)) sawNew++;
    else assert.fail(`budget ${budget}: mixed state ${JSON.stringify(state)}`);
    assert.deepEqual(await leftovers(fs), []);
    if (completed) break;
  }
  assert.ok(sawOld > 5 && sawNew >= 1, `old ${sawOld}, new ${sawNew}`);
});

test("recovery interrupted at any point can be run again", async () => {
  for (let crashAt = 8; crashAt < 30; crashAt++) {
    const fs = await oldEnvironment();
    await change(dyingFileSystem(fs, crashAt)).catch(() => undefined);
    for (let recoveryBudget = 0; recoveryBudget < 40; recoveryBudget++) {
      const copy = fs.clone();
      await recoverTransactions(dyingFileSystem(copy, recoveryBudget), prefix).catch(() => undefined);
      await recoverTransactions(copy, prefix);
      const state = JSON.stringify(view(copy));
      assert.ok(state === JSON.stringify(view(await oldEnvironment())) || state === JSON.stringify(newView), `crash ${crashAt}, recovery budget ${recoveryBudget}: ${state}`);
    }
  }
});

test("a failure during commit rolls back in process", async () => {
  const fs = await oldEnvironment();
  const before = view(fs);
  // The second file's move into place fails (a disk error), after the first was moved.
  const failing: InstallFileSystem = Object.assign(Object.create(fs) as InstallFileSystem, {
    rename: (from: string, to: string) => (to === "/env/bin/tool" && from.includes("/new/") ? Promise.reject(new Error("EIO: i/o error")) : fs.rename(from, to)),
  });
  const transaction = await Transaction.begin(failing, prefix, roots);
  await transaction.stageFile("/env/lib/site-packages/old/a.py", encoder.encode("replaced"), 0o644);
  await transaction.stageFile("/env/bin/tool", encoder.encode("new tool"), 0o755);
  await assert.rejects(transaction.commit(), /EIO/);
  assert.deepEqual(view(fs), before);
  assert.deepEqual(await fs.list(`${prefix}/${installStateDirectory}`), []);
});

test("an aborted transaction never touches the environment", async () => {
  const fs = await oldEnvironment();
  const before = view(fs);
  const transaction = await Transaction.begin(fs, prefix, roots);
  await transaction.stageFile("/env/bin/tool", encoder.encode("new"), 0o755);
  transaction.removeFile("/env/lib/site-packages/keep.py");
  await transaction.abort();
  assert.deepEqual(view(fs), before);
  assert.deepEqual(await fs.list(`${prefix}/${installStateDirectory}`), []);
});

test("files of a directory the environment lacks are staged as one tree and moved in with one rename", async () => {
  const fs = await oldEnvironment();
  const renames: string[] = [];
  const counting: InstallFileSystem = { ...fs, rename: (from, to) => (renames.push(to), fs.rename(from, to)) };
  const transaction = await Transaction.begin(counting, prefix, roots);
  await Promise.all(
    ["new/a.py", "new/deep/b.py", "new/deep/c.py", "old/c.py"].map((path) => transaction.stageFile(`/env/lib/site-packages/${path}`, encoder.encode(path), 0o644)),
  );
  await transaction.commit();
  const moved = renames.filter((to) => !to.includes(installStateDirectory));
  assert.deepEqual(moved.sort(), ["/env/lib/site-packages/new", "/env/lib/site-packages/old/c.py"]);
  assert.equal(view(fs)["/env/lib/site-packages/new/deep/c.py"], "new/deep/c.py");
});

test("a transaction that replaces nothing makes no backup directory; one that replaces makes it once", async () => {
  for (const replacing of [false, true]) {
    const fs = await oldEnvironment();
    const made: string[] = [];
    const recording: InstallFileSystem = { ...fs, mkdir: (path) => (made.push(path), fs.mkdir(path)) };
    const transaction = await Transaction.begin(recording, prefix, roots);
    await transaction.stageFile("/env/lib/site-packages/fresh/a.py", encoder.encode("a"), 0o644);
    if (replacing) await transaction.stageFile("/env/bin/tool", encoder.encode("new tool"), 0o755);
    if (replacing) await transaction.stageFile("/env/lib/site-packages/keep.py", encoder.encode("kept, new"), 0o644);
    await transaction.commit();
    const backups = made.filter((path) => /\/tx-[^/]+\/old$/.test(path));
    assert.equal(backups.length, replacing ? 1 : 0, made.join(", "));
    assert.equal(view(fs)["/env/bin/tool"], replacing ? "new tool" : "old tool");
    assert.deepEqual(await leftovers(fs), []);
  }
});

test("hasTransactions: true only while a transaction directory is there", async () => {
  const fs = await oldEnvironment();
  assert.equal(await hasTransactions(fs, prefix), false);
  const transaction = await Transaction.begin(fs, prefix, roots);
  assert.equal(await hasTransactions(fs, prefix), true);
  await transaction.abort();
  assert.equal(await hasTransactions(fs, prefix), false);
  await fs.writeFile(`${prefix}/${installStateDirectory}/lock`, encoder.encode("{}"));
  assert.equal(await hasTransactions(fs, prefix), false, "a lock file alone is no transaction");
});

test("a directory that appears between staging and commit fails the commit and changes nothing", async () => {
  const fs = await oldEnvironment();
  const before = view(fs);
  const transaction = await Transaction.begin(fs, prefix, roots);
  await transaction.stageFile("/env/lib/site-packages/new/a.py", encoder.encode("a"), 0o644);
  await transaction.stageFile("/env/lib/site-packages/old/a.py", encoder.encode("new a"), 0o644);
  await fs.mkdir("/env/lib/site-packages/new");
  await assert.rejects(transaction.commit(), { code: "installConflict" });
  assert.deepEqual(view(fs), before);
  assert.deepEqual(await leftovers(fs), []);
});

test("concurrent staging of one path is a conflict", async () => {
  const fs = await oldEnvironment();
  const transaction = await Transaction.begin(fs, prefix, roots);
  const results = await Promise.allSettled([1, 2].map((n) => transaction.stageFile("/env/lib/site-packages/new/x.py", encoder.encode(String(n)), 0o644)));
  assert.deepEqual(results.map((r) => r.status).sort(), ["fulfilled", "rejected"]);
});

test("stageSharedFile writes each content once and links the other targets to it; a failing link writes instead", async (t) => {
  const installer = encoder.encode("kiln\n");
  const targets = ["/env/lib/site-packages/a-1.dist-info/INSTALLER", "/env/lib/site-packages/b-1.dist-info/INSTALLER", "/env/lib/site-packages/keep-1.dist-info/INSTALLER"];
  for (const linkError of [undefined, "EXDEV"]) {
    await t.test(linkError ? `links fail with ${linkError}` : "links work", async () => {
      const fs = await oldEnvironment();
      const environment = linkError ? memoryFileSystem({ linkError }) : fs;
      if (linkError) for (const [path, data] of fs.snapshot()) await environment.mkdir(path.slice(0, path.lastIndexOf("/"))).then(() => environment.writeFile(path, data));
      let writes = 0;
      let links = 0;
      const counting: InstallFileSystem = {
        ...environment,
        writeFile: (path, data, options) => (data === installer && writes++, environment.writeFile(path, data, options)),
        link: (from, to) => (links++, environment.link(from, to)),
      };
      const transaction = await Transaction.begin(counting, prefix, roots);
      await Promise.all(targets.map((target) => transaction.stageSharedFile(target, installer, 0o644)));
      await transaction.stageSharedFile("/env/bin/shared-script", installer, 0o755);
      await transaction.commit();
      assert.deepEqual([writes, links], linkError ? [4, 2] : [2, 2], "one write per content and mode, the rest linked");
      for (const target of [...targets, "/env/bin/shared-script"]) assert.equal(decoder.decode(await environment.readFile(target)), "kiln\n");
      assert.equal((await environment.stat("/env/bin/shared-script"))?.mode, 0o755);
      // Writing through one target shows whether the others share its inode.
      await environment.writeFile(targets[0]!, encoder.encode("changed\n"));
      assert.equal(decoder.decode(await environment.readFile(targets[2]!)), linkError ? "kiln\n" : "changed\n");
    });
  }
});

// A path cannot be a file and a directory at once: staged in either order (two files of one wheel,
// or of two wheels), or a staged directory where the environment has a file.
const fileAndDirectory: [string, string[]][] = [
  ["a file, then a file below it", ["/env/lib/site-packages/new/x", "/env/lib/site-packages/new/x/y.py"]],
  ["a file below a path, then a file at it", ["/env/lib/site-packages/new/x/deep/y.py", "/env/lib/site-packages/new/x"]],
  ["a file below an existing file", ["/env/lib/site-packages/keep.py/z.py"]],
];

for (const [label, targets] of fileAndDirectory) {
  test(`staging ${label} is an installConflict naming the path, and commits nothing`, async () => {
    const fs = await oldEnvironment();
    const before = view(fs);
    const transaction = await Transaction.begin(fs, prefix, roots);
    await assert.rejects(
      (async () => {
        for (const target of targets) await transaction.stageFile(target, encoder.encode("x"), 0o644);
        await transaction.commit();
      })(),
      (error) => isKilnError(error, "installConflict") && /both a file and a directory/.test(error.message),
    );
    await transaction.abort();
    assert.deepEqual(view(fs), before);
    assert.deepEqual(await leftovers(fs), []);
  });
}

const hostileJournals: [string, object][] = [
  ["an operation outside the environment", { operations: [{ target: "/elsewhere/victim", install: true }], createdDirectories: [], cleanupDirectories: [], roots: [] }],
  ["an operation that climbs out with ..", { operations: [{ target: "/env/../elsewhere/victim", install: false }], createdDirectories: [], cleanupDirectories: [], roots: [] }],
  ["a created directory outside the environment", { operations: [], createdDirectories: ["/elsewhere"], cleanupDirectories: [], roots: [] }],
  ["a cleanup root outside the environment", { operations: [], createdDirectories: [], cleanupDirectories: ["/elsewhere/empty"], roots: ["/"] }],
  ["no operations list", { createdDirectories: [], cleanupDirectories: [], roots: [] }],
];

for (const [label, plan] of hostileJournals) {
  test(`recovery refuses a journal with ${label} and touches nothing`, async () => {
    const fs = await oldEnvironment();
    await fs.mkdir("/elsewhere/empty");
    await fs.writeFile("/elsewhere/victim", encoder.encode("precious"));
    const journal = `${prefix}/${installStateDirectory}/tx-0-planted`;
    await fs.mkdir(`${journal}/new`);
    await fs.mkdir(`${journal}/old`);
    await fs.writeFile(`${journal}/old/0`, encoder.encode("planted"));
    await fs.writeFile(`${journal}/plan.json`, encoder.encode(JSON.stringify({ version: 1, ...plan })));
    const before = fs.snapshot();
    await assert.rejects(recoverTransactions(fs, prefix), (error) => isKilnError(error, "installFailed") && error.message.includes(journal));
    assert.deepEqual(fs.snapshot(), before);
    assert.equal(await fs.exists("/elsewhere/empty"), true);
  });
}
