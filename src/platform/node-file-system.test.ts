import { strict as assert } from "node:assert";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { nodeFileSystem } from "./node-file-system.js";

const temporary = mkdtempSync(join(tmpdir(), "kiln-node-fs-"));
after(() => rmSync(temporary, { recursive: true, force: true }));

test("remove with recursive deletes a whole tree, symbolic links without following them", async () => {
  const outside = join(temporary, "outside");
  mkdirSync(outside);
  writeFileSync(join(outside, "kept.txt"), "kept");
  const tree = join(temporary, "tree");
  mkdirSync(join(tree, "a", "b", "c"), { recursive: true });
  mkdirSync(join(tree, "empty"));
  writeFileSync(join(tree, "top.txt"), "x");
  writeFileSync(join(tree, "a", "b", "c", "deep.txt"), "x");
  symlinkSync(outside, join(tree, "a", "link-to-outside"));
  symlinkSync(join(temporary, "missing"), join(tree, "dangling"));
  const fs = nodeFileSystem();
  await fs.remove(tree, { recursive: true });
  assert.equal(existsSync(tree), false);
  assert.equal(existsSync(join(outside, "kept.txt")), true, "a linked directory's files stay");
  await fs.remove(tree, { recursive: true });
});

test("remove without recursive refuses a directory that is not empty", async () => {
  const directory = join(temporary, "full");
  mkdirSync(directory);
  writeFileSync(join(directory, "file"), "x");
  await assert.rejects(nodeFileSystem().remove(directory), { code: "ENOTEMPTY" });
  assert.equal(existsSync(join(directory, "file")), true);
});

test("findChangedFile: the first file missing, not a regular file, of another size or modified after the time given", async () => {
  const directory = join(temporary, "entry");
  mkdirSync(join(directory, "pkg", "sub"), { recursive: true });
  writeFileSync(join(directory, "pkg", "a.py"), "aa");
  writeFileSync(join(directory, "pkg", "sub", "b.py"), "bbb");
  symlinkSync(join(directory, "pkg", "a.py"), join(directory, "pkg", "link.py"));
  const fs = nodeFileSystem();
  const modifiedA = (await fs.stat(join(directory, "pkg", "a.py")))!.modifiedMs!;
  const modified = Math.max(modifiedA, (await fs.stat(join(directory, "pkg", "sub", "b.py")))!.modifiedMs!);
  const a = { path: "pkg/a.py", size: 2 };
  const b = { path: "pkg/sub/b.py", size: 3 };
  const cases: [string, { path: string; size: number }[], number | undefined, number][] = [
    ["all as recorded", [a, b], undefined, -1],
    ["all as recorded and none modified after the seal", [a, b], modified + 1, -1],
    ["one modified after the seal", [a, b], modifiedA - 1, 0],
    ["one of another size", [a, { ...b, size: 4 }], undefined, 1],
    ["one missing", [a, { path: "pkg/gone.py", size: 1 }, b], undefined, 1],
    ["a directory", [{ path: "pkg/sub", size: 3 }], undefined, 0],
    ["a symbolic link, not followed", [{ path: "pkg/link.py", size: 2 }], undefined, 0],
    ["none", [], 0, -1],
  ];
  for (const [name, files, notModifiedAfterMs, expected] of cases) assert.equal(await fs.findChangedFile!(directory, files, notModifiedAfterMs), expected, name);
});
