import { strict as assert } from "node:assert";
import { gunzipSync, gzipSync } from "node:zlib";
import { test } from "node:test";
import { isKilnError, type ErrorCode } from "../core/index.js";
import { buildTar, makeTarWithPython, type PythonTarEntry } from "../../test/build/tar-builder.js";
import { openTar } from "./open-tar.js";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

const longDirectory = "pkg-1.0/" + "d".repeat(90) + "/" + "e".repeat(60);
const sample: PythonTarEntry[] = [
  { name: "pkg-1.0", type: "directory", mode: 0o755 },
  { name: "pkg-1.0/PKG-INFO", type: "file", data: "Metadata-Version: 2.1\nName: pkg\n" },
  { name: "pkg-1.0/run.sh", type: "file", data: "#!/bin/sh\n", mode: 0o755 },
  { name: `${longDirectory}/module.py`, type: "file", data: "x = 1\n" },
  { name: "pkg-1.0/README", type: "symlink", linkName: "docs/readme.txt" },
  { name: "pkg-1.0/docs/readme.txt", type: "file", data: "read me" },
  { name: "pkg-1.0/copy.txt", type: "hardlink", linkName: "pkg-1.0/docs/readme.txt" },
];
const unicode: PythonTarEntry = { name: `pkg-1.0/${"ü".repeat(120)}.py`, type: "file", data: "# é\n" };

for (const format of ["ustar", "gnu", "pax"] as const) {
  test(`reads a ${format} archive written by Python's tarfile`, async () => {
    const entries = format === "ustar" ? sample : [...sample, unicode];
    const archive = await openTar(makeTarWithPython(entries, format), { name: `sample-${format}.tar.gz` });
    const seen = archive.entries.map((e) => ({ path: e.path, type: e.type, mode: e.mode, data: text(e.data), link: e.linkTarget }));
    const expected = entries.map((e) => ({
      path: e.name,
      type: e.type === "hardlink" ? "file" : e.type,
      mode: e.mode ?? 0o644,
      data: e.type === "hardlink" ? "read me" : (e.data ?? ""),
      link: e.type === "symlink" ? e.linkName : undefined,
    }));
    assert.deepEqual(seen, expected);
    assert.equal(text(archive.get("pkg-1.0/PKG-INFO")!.data).split("\n")[1], "Name: pkg");
  });
}

test("reads a plain (not gzipped) tar, a tar without end blocks, and ustar's prefix field", async () => {
  const plain = buildTar([{ name: "module.py", prefix: "pkg-1.0/src", data: "y = 2" }], { end: false });
  const archive = await openTar(plain, { name: "plain.tar" });
  assert.deepEqual(archive.entries.map((e) => [e.path, text(e.data)]), [["pkg-1.0/src/module.py", "y = 2"]]);
});

test("accepts gzip with several members and zero padding after the last", async () => {
  const tar = buildTar([{ name: "a.txt", data: "a" }]);
  const half = Math.floor(tar.length / 2);
  const bytes = Buffer.concat([gzipSync(tar.subarray(0, half)), gzipSync(tar.subarray(half)), Buffer.alloc(64)]);
  const archive = await openTar(new Uint8Array(bytes), { name: "members.tar.gz" });
  assert.deepEqual(archive.entries.map((e) => e.path), ["a.txt"]);
});

const bomb = buildTar([{ name: "big.bin", data: new Uint8Array(4 << 20) }], { gzip: true });
const good = buildTar([{ name: "a.txt", data: "hello" }], { gzip: true });
const corrupted = good.slice();
corrupted[corrupted.length - 6]! ^= 0xff;

const hostile: Array<{ name: string; bytes: Uint8Array; code: ErrorCode; message: RegExp; maxSize?: number; maxEntries?: number }> = [
  { name: "a .. segment", bytes: buildTar([{ name: "pkg/../../evil", data: "x" }]), code: "unsafeEntryPath", message: /"\.\." segment/ },
  { name: "an absolute path", bytes: buildTar([{ name: "/etc/passwd", data: "x" }]), code: "unsafeEntryPath", message: /absolute/ },
  { name: "a pax path escaping", bytes: buildTar([{ name: "pax", type: "x", data: "16 path=../evil\n" }, { name: "ok", data: "x" }]), code: "unsafeEntryPath", message: /\.\./ },
  { name: "a GNU long name escaping", bytes: buildTar([{ name: "././@LongLink", type: "L", data: "/abs/evil\0" }, { name: "ok", data: "x" }]), code: "unsafeEntryPath", message: /absolute/ },
  { name: "a symlink out of the archive", bytes: buildTar([{ name: "pkg/link", type: "2", linkName: "../../etc" }]), code: "unsafeEntryPath", message: /outside the archive/ },
  { name: "an absolute symlink", bytes: buildTar([{ name: "link", type: "2", linkName: "/etc/passwd" }]), code: "unsafeEntryPath", message: /absolute/ },
  { name: "a file below a symlink", bytes: buildTar([{ name: "pkg/link", type: "2", linkName: "." }, { name: "pkg/link/x", data: "x" }]), code: "unsafeEntryPath", message: /below a symbolic link/ },
  {
    name: "a symlink climbing through another link",
    bytes: buildTar([{ name: "a/up", type: "2", linkName: ".." }, { name: "b", type: "2", linkName: "a/up/.." }]),
    code: "unsafeEntryPath",
    message: /passes through another link/,
  },
  { name: "a hard link to nothing earlier", bytes: buildTar([{ name: "h", type: "1", linkName: "missing" }]), code: "invalidTar", message: /not an earlier file/ },
  { name: "a hard link escaping", bytes: buildTar([{ name: "h", type: "1", linkName: "../x" }]), code: "unsafeEntryPath", message: /\.\./ },
  { name: "a character device", bytes: buildTar([{ name: "dev/null", type: "3" }]), code: "unsupportedTar", message: /character device/ },
  { name: "a FIFO", bytes: buildTar([{ name: "pipe", type: "6" }]), code: "unsupportedTar", message: /FIFO/ },
  { name: "a bad checksum", bytes: buildTar([{ name: "a", data: "x", patch: { offset: 0, bytes: [0x62] } }]), code: "invalidTar", message: /checksum/ },
  { name: "a size beyond the end", bytes: buildTar([{ name: "a", data: "x", headerSize: 1 << 20 }]), code: "invalidTar", message: /truncated/ },
  { name: "a header cut short", bytes: buildTar([{ name: "a", data: "x" }, { name: "b" }], { end: false }).subarray(0, 1024 + 100), code: "invalidTar", message: /ends inside a header/ },
  { name: "a malformed size field", bytes: buildTar([{ name: "a", data: "x", patch: { offset: 124, bytes: [0x39, 0x39] } }]), code: "invalidTar", message: /malformed number|checksum/ },
  { name: "a malformed pax record", bytes: buildTar([{ name: "pax", type: "x", data: "99 path=x\n" }, { name: "ok" }]), code: "invalidTar", message: /pax extended header is malformed/ },
  { name: "a pax size that is not a number", bytes: buildTar([{ name: "pax", type: "x", data: "11 size=-1\n" }, { name: "ok" }]), code: "invalidTar", message: /size "-1"/ },
  { name: "a gzip bomb", bytes: bomb, code: "archiveTooLarge", message: /expands to more than/, maxSize: 1 << 20 },
  { name: "a corrupt gzip checksum", bytes: corrupted, code: "invalidGzip", message: /Cannot decompress/ },
  { name: "a truncated gzip stream", bytes: good.subarray(0, good.length - 5), code: "invalidGzip", message: /Cannot decompress/ },
  { name: "too many entries", bytes: buildTar([{ name: "a" }, { name: "b" }, { name: "c" }]), code: "archiveTooLarge", message: /more than 2 entries/, maxEntries: 2 },
  { name: "an oversized plain tar", bytes: buildTar([{ name: "a", data: new Uint8Array(4096) }]), code: "archiveTooLarge", message: /larger than/, maxSize: 2048 },
];

for (const item of hostile) {
  test(`refuses ${item.name} with a clear error`, async () => {
    await assert.rejects(
      openTar(item.bytes, { name: "hostile.tar.gz", ...(item.maxSize ? { maxSize: item.maxSize } : {}), ...(item.maxEntries ? { maxEntries: item.maxEntries } : {}) }),
      (error: unknown) => {
        assert.ok(isKilnError(error, item.code), `expected ${item.code}, got ${String(error)}`);
        assert.match(error.message, item.message);
        assert.match(error.message, /hostile\.tar\.gz/);
        assert.ok(error.hint);
        return true;
      },
    );
  });
}

test("random corruption of a real archive gives a KilnError or a result, never a crash", async () => {
  const tar = makeTarWithPython([...sample, unicode], "pax");
  const plain = gunzipPlain(tar);
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let round = 0; round < 400; round++) {
    const bytes = (round % 2 ? plain : tar).slice();
    for (let i = 0; i < 1 + Math.floor(random() * 8); i++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    try {
      const archive = await openTar(bytes, { name: "fuzz.tar", maxSize: 1 << 22 });
      for (const entry of archive.entries) assert.ok(!entry.path.split("/").includes(".."));
    } catch (error) {
      assert.ok(isKilnError(error), `round ${round}: ${String((error as Error).stack)}`);
    }
  }
});

function gunzipPlain(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(gunzipSync(bytes));
}
