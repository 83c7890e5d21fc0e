import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { deferStandardLibrary, lazyStdlibSupported } from "./node-lazy-stdlib.js";

function fakeModule(node: { contents: Uint8Array | null; usedBytes: number }, version = [3, 14, 2]) {
  const looked: string[] = [];
  return {
    looked,
    module: {
      API: { pyVersionTuple: version },
      FS: {
        lookupPath(path: string) {
          looked.push(path);
          if (path !== "/lib/python314.zip") throw new Error("ENOENT");
          return { node };
        },
      },
    },
  };
}

test("the empty archive Pyodide wrote reads the host file at its first use, with its size from the start", () => {
  const path = join(mkdtempSync(join(tmpdir(), "kiln-stdlib-")), "stdlib.zip");
  writeFileSync(path, "PK archive bytes");
  const node = { contents: null as Uint8Array | null, usedBytes: 0 };
  const { module, looked } = fakeModule(node);
  assert.equal(deferStandardLibrary(module, path, { debug: false }), true);
  assert.deepEqual(looked, ["/lib/python314.zip"]);
  assert.equal(node.usedBytes, 16);
  writeFileSync(path, "PK archive BYTES"); // read at first use, not before
  assert.equal(Buffer.from(node.contents!).toString(), "PK archive BYTES");
  node.contents = Uint8Array.of(1, 2);
  assert.deepEqual([...node.contents], [1, 2], "written contents replace it");
});

test("an archive Pyodide read itself, or none where expected, is left alone", () => {
  const path = join(mkdtempSync(join(tmpdir(), "kiln-stdlib-")), "stdlib.zip");
  writeFileSync(path, "PK");
  const full = { contents: Uint8Array.of(80, 75), usedBytes: 2 };
  assert.equal(deferStandardLibrary(fakeModule(full).module, path, { debug: false }), false);
  assert.deepEqual([...full.contents], [80, 75]);
  const other = { contents: null, usedBytes: 0 };
  assert.equal(deferStandardLibrary(fakeModule(other, [3, 13, 0]).module, path, { debug: false }), false);
  assert.equal(other.usedBytes, 0);
  assert.equal(deferStandardLibrary({}, path, { debug: false }), false);
});

test("only a loader that writes the archive where expected is taken", () => {
  assert.equal(lazyStdlibSupported("...try{let r=await t;n.FS.writeFile(`/lib/python${i}${s}.zip`,r)}catch..."), true);
  assert.equal(lazyStdlibSupported("...n.FS.writeFile(`/lib/python${i}.${s}.zip`,r)..."), false);
});
