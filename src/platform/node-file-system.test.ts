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
