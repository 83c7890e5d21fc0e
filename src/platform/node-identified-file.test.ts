import assert from "node:assert/strict";
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileIdentity, readIdentifiedFile } from "./node-identified-file.js";

test("fileIdentity: device, inode, size and both times, so a rewrite or a replacement changes it", () => {
  const stat = { dev: 1n, ino: 2n, size: 3n, mtimeNs: 4n, ctimeNs: 5n };
  assert.equal(fileIdentity(stat), "1:2:3:4:5");
  const changed = [{ ...stat, ino: 9n }, { ...stat, size: 9n }, { ...stat, mtimeNs: 9n }, { ...stat, ctimeNs: 9n }, { ...stat, dev: 9n }];
  for (const other of changed) assert.notEqual(fileIdentity(other), fileIdentity(stat));
});

test("readIdentifiedFile: the bytes as written (empty, small, larger than one read), and a new identity for a replaced file", () => {
  const dir = mkdtempSync(join(tmpdir(), "kiln-identified-"));
  try {
    const path = join(dir, "script.js");
    const identities = new Set<string>();
    for (const bytes of [Buffer.alloc(0), Buffer.from("exports.x = 1;\n"), Buffer.alloc(3 << 20, 0x61)]) {
      const next = join(dir, "next.js");
      writeFileSync(next, bytes);
      renameSync(next, path);
      const read = readIdentifiedFile(path);
      assert.deepEqual(read.bytes, bytes);
      identities.add(read.identity);
    }
    assert.equal(identities.size, 3);
    assert.throws(() => readIdentifiedFile(join(dir, "missing.js")), /ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
