import { strict as assert } from "node:assert";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { createNodeProjectTestHost } from "./node-project-test-host.js";

const unused = async (): Promise<never> => {
  throw new Error("not used here");
};

/** A host rooted in `root` for the file operations only; the build, resolve and install steps are not used here. */
function hostIn(root: string) {
  return createNodeProjectTestHost({
    env: {},
    cwd: root,
    kilnVersion: "1.0",
    cacheDir: join(root, "cache"),
    output: { stdout: { write: () => true }, stderr: { write: () => true } },
    buildWheel: unused,
    resolve: unused,
    install: unused,
  });
}

test("copies keep modification times and modes (bytecode stays valid) and merge into existing directories; listings follow links", async () => {
  const root = mkdtempSync(join(tmpdir(), "kiln-test-host-"));
  try {
    const host = hostIn(root);
    const from = join(root, "template");
    mkdirSync(join(from, "lib/site-packages/pkg/__pycache__"), { recursive: true });
    writeFileSync(join(from, "lib/site-packages/pkg/__init__.py"), "x = 1\n");
    writeFileSync(join(from, "lib/site-packages/pkg/__pycache__/__init__.cpython-314.pyc"), "bytecode");
    writeFileSync(join(from, "script"), "#!/bin/sh\n");
    chmodSync(join(from, "script"), 0o755);
    const old = new Date("2020-01-02T03:04:05Z");
    utimesSync(join(from, "lib/site-packages/pkg/__init__.py"), old, old);
    const to = join(root, "venv");
    mkdirSync(join(to, "lib/site-packages"), { recursive: true });
    writeFileSync(join(to, "lib/site-packages/own.pth"), "");

    await host.copy(join(from, "lib"), join(to, "lib"));
    await host.copy(join(from, "script"), join(to, "bin/script"));
    assert.equal(statSync(join(to, "lib/site-packages/pkg/__init__.py")).mtimeMs, old.getTime(), "the source keeps its time");
    assert.equal(readFileSync(join(to, "lib/site-packages/pkg/__pycache__/__init__.cpython-314.pyc"), "utf8"), "bytecode");
    assert.equal(readFileSync(join(to, "lib/site-packages/own.pth"), "utf8"), "", "what was there stays");
    assert.equal(statSync(join(to, "bin/script")).mode & 0o777, 0o755);

    symlinkSync(join(from, "lib"), join(to, "linked"));
    symlinkSync(join(root, "nowhere"), join(to, "dangling"));
    const listed = (await host.listDirectory(to)).sort((a, b) => a.name.localeCompare(b.name));
    assert.deepEqual(listed, [
      { name: "bin", kind: "directory" },
      { name: "dangling", kind: "other", symlink: true },
      { name: "lib", kind: "directory" },
      { name: "linked", kind: "directory", symlink: true },
    ]);
    assert.deepEqual(await host.listDirectory(join(root, "missing")), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

// With GNU cp on PATH (Linux), the tree is linked by `cp -al`; without, file by file.
for (const [mode, path] of [["with cp", process.env.PATH ?? ""], ["without cp (file by file)", ""]] as const) {
  test(`linked trees share the template's files; what is added or replaced in the copy never reaches the template (${mode})`, async () => {
    const root = mkdtempSync(join(tmpdir(), "kiln-test-host-"));
    const savedPath = process.env.PATH;
    process.env.PATH = path;
    try {
      const host = hostIn(root);
      const from = join(root, "template");
      mkdirSync(join(from, "site-packages/pkg/__pycache__"), { recursive: true });
      writeFileSync(join(from, "site-packages/pkg/__init__.py"), "x = 1\n");
      writeFileSync(join(from, "site-packages/pkg/RECORD"), "template record\n");
      symlinkSync("pkg", join(from, "site-packages/alias"));
      const to = join(root, "venv/lib");
      mkdirSync(join(to, "site-packages/pkg"), { recursive: true });
      writeFileSync(join(to, "site-packages/pkg/RECORD"), "stale\n");

      await host.linkTree!(from, to);
      assert.equal(statSync(join(to, "site-packages/pkg/__init__.py")).ino, statSync(join(from, "site-packages/pkg/__init__.py")).ino, "a hard link");
      assert.equal(readFileSync(join(to, "site-packages/pkg/RECORD"), "utf8"), "template record\n", "an existing file is replaced by the link");
      assert.equal(readlinkSync(join(to, "site-packages/alias")), "pkg");

      writeFileSync(join(to, "site-packages/pkg/__pycache__/new.pyc"), "new");
      await host.remove(join(to, "site-packages/pkg/RECORD"));
      await host.writeText(join(to, "site-packages/pkg/RECORD"), "rewritten\n");
      assert.equal(readFileSync(join(from, "site-packages/pkg/RECORD"), "utf8"), "template record\n");
      assert.deepEqual(readdirSync(join(from, "site-packages/pkg/__pycache__")), []);
    } finally {
      process.env.PATH = savedPath;
      rmSync(root, { recursive: true, force: true });
    }
  });
}

test("the last template of a test setup is remembered across hosts (a file per setup, replaced whole); other names are refused", async () => {
  const root = mkdtempSync(join(tmpdir(), "kiln-test-host-"));
  try {
    const setup = "a".repeat(64);
    assert.equal(await hostIn(root).lastTemplates!.read(setup), undefined);
    await hostIn(root).lastTemplates!.write(setup, "b".repeat(64));
    await hostIn(root).lastTemplates!.write(setup, "c".repeat(64));
    assert.equal(await hostIn(root).lastTemplates!.read(setup), "c".repeat(64));
    assert.deepEqual(readdirSync(join(root, "cache", "test-setups")), [setup], "no temporary file left");
    await assert.rejects(hostIn(root).lastTemplates!.write("../x", "b".repeat(64)), RangeError);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
