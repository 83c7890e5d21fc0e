import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { test } from "node:test";
import { isKilnError, type ErrorCode } from "../core/index.js";
import { runHostPython } from "../../test/support/host-python.js";
import { makeZipWithPython } from "../../test/support/python-zip.js";
import { allRealWheels, realWheel } from "../../test/support/real-wheels.js";
import { buildZip } from "../../test/support/zip-builder.js";
import { nodeZipCodecs } from "../platform/node-zip-codecs.js";
import { openZip } from "./open-zip.js";
import { crc32 } from "./crc32.js";
import { bytesSource, type RandomAccessSource } from "./random-access-source.js";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

interface PythonEntry {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
  method: number;
  crc32: number;
  offset: number;
  unixMode: number | null;
  sha256: string;
}

/** What Python's zipfile sees in an archive, in kiln's terms. */
function pythonView(bytes: Uint8Array): PythonEntry[] {
  return runHostPython<PythonEntry[]>(
    String.raw`
import base64, hashlib, io, json, sys, zipfile
archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(json.load(sys.stdin))))
print(json.dumps([{
    "name": i.filename if not i.is_dir() else i.filename, "compressedSize": i.compress_size,
    "uncompressedSize": i.file_size, "method": i.compress_type, "crc32": i.CRC,
    "offset": i.header_offset, "unixMode": (i.external_attr >> 16) or None,
    "sha256": hashlib.sha256(archive.read(i)).hexdigest(),
} for i in archive.infolist()]))
`,
    Buffer.from(bytes).toString("base64"),
  );
}

async function kilnView(bytes: Uint8Array): Promise<PythonEntry[]> {
  const archive = await openZip(bytesSource(bytes));
  const result: PythonEntry[] = [];
  for (const entry of archive.entries) {
    const { isDirectory: _, ...fields } = entry;
    result.push({ ...fields, unixMode: entry.unixMode ?? null, sha256: sha256(await archive.readEntry(entry)) });
  }
  return result;
}

for (const path of allRealWheels()) {
  test(`reads every entry of ${basename(path)} as Python's zipfile does`, async () => {
    const bytes = new Uint8Array(readFileSync(path));
    assert.deepEqual(await kilnView(bytes), pythonView(bytes));
  });
}

const sampleEntries = [
  { name: "pkg/__init__.py", data: "print('hello')\n".repeat(50), method: "deflated" as const, mode: 0o100644 },
  { name: "pkg/data.bin", data: new Uint8Array(3000).map((_, i) => (i * 7919) % 256), method: "stored" as const },
  { name: "pkg/empty.txt", data: "", method: "deflated" as const },
  { name: "bin/tool", data: "#!/bin/sh\necho hi\n", mode: 0o100755 },
  { name: "dir/", data: "", method: "stored" as const, mode: 0o40755 },
  { name: "naïve/ünïcode.txt", data: "ü" },
];

for (const [label, options] of [
  ["plain", {}],
  ["with a comment", { comment: "a comment" }],
  ["with forced zip64 local headers", { zip64: true }],
  ["written to a stream (data descriptors)", { streamed: true }],
] as const) {
  test(`reads a zip Python wrote ${label} the way Python reads it`, async () => {
    const bytes = makeZipWithPython(sampleEntries, options);
    const ours = await kilnView(bytes);
    assert.deepEqual(ours, pythonView(bytes));
    const archive = await openZip(bytesSource(bytes));
    assert.equal(text(await archive.readEntry("naïve/ünïcode.txt")), "ü");
    assert.equal(archive.getEntry("dir/")?.isDirectory, true);
    assert.equal(archive.getEntry("bin/tool")?.unixMode, 0o100755);
    if ("comment" in options) assert.equal(archive.comment, options.comment);
  });
}

test("reads zip64 extra fields and zip64 end records, as Python does", async () => {
  const bytes = buildZip(
    [
      { name: "a.txt", data: "alpha".repeat(100), zip64: true },
      { name: "b.txt", data: "beta", method: 0, zip64: true },
    ],
    { zip64End: true, comment: "z" },
  );
  assert.deepEqual(await kilnView(bytes), pythonView(bytes));
  const archive = await openZip(bytesSource(bytes));
  assert.equal(text(await archive.readEntry("b.txt")), "beta");
  assert.equal(archive.comment, "z");
});

test("finds the end record even when the comment contains its signature (Python's zipfile does not)", async () => {
  const comment = "fake end record: PK\u0005\u0006" + "\u0000".repeat(18) + " and more text";
  const bytes = makeZipWithPython(sampleEntries, { comment });
  const archive = await openZip(bytesSource(bytes));
  assert.equal(archive.comment, comment);
  assert.equal(archive.entries.length, sampleEntries.length);
});

test("decodes names without the UTF-8 flag as code page 437, like Python", async () => {
  // Build with the flag, then clear it in both headers; byte 0x81 is "ü" in cp437.
  const bytes = buildZip([{ name: "x\u0001.txt", data: "x", method: 0 }]);
  const at = [...bytes.keys()].filter((i) => bytes[i] === 0x01 && bytes[i - 1] === 0x78);
  for (const i of at) bytes[i] = 0x81;
  const view = new DataView(bytes.buffer);
  for (const [signature, flagsAt] of [[0x04034b50, 6], [0x02014b50, 8]] as const) {
    for (let i = 0; i + 4 <= bytes.length; i++) {
      if (view.getUint32(i, true) === signature) view.setUint16(i + flagsAt, 0, true);
    }
  }
  const archive = await openZip(bytesSource(bytes));
  assert.deepEqual(archive.entries.map((e) => e.name), pythonView(bytes).map((e) => e.name));
  assert.equal(archive.entries[0]!.name, "xü.txt");
});

/** A source that records every read, to check the reader asks for few ranges. */
function countingSource(bytes: Uint8Array): RandomAccessSource & { reads: [number, number][] } {
  const inner = bytesSource(bytes);
  const reads: [number, number][] = [];
  return { size: inner.size, reads, read: (offset, length) => (reads.push([offset, length]), inner.read(offset, length)) };
}

test("opening a wheel reads only its tail, and reading an entry reads one range", async () => {
  for (const name of ["pytest", "pydantic-core"] as const) {
    const bytes = new Uint8Array(readFileSync(realWheel(name)));
    const source = countingSource(bytes);
    const archive = await openZip(source);
    assert.ok(source.reads.length <= 2, `${name}: ${source.reads.length} reads to open`);
    const opened = source.reads.reduce((sum, [, length]) => sum + length, 0);
    assert.ok(opened < bytes.length / 2, `${name}: read ${opened} of ${bytes.length} bytes to open`);
    const metadata = archive.entries.find((e) => e.name.endsWith(".dist-info/METADATA"))!;
    source.reads.length = 0;
    assert.match(text(await archive.readEntry(metadata)), /^Metadata-Version: /);
    assert.equal(source.reads.length, 1);
    assert.ok(source.reads[0]![1] < metadata.compressedSize + 1024);
  }
});

async function failure(bytes: Uint8Array, read?: string, options = {}): Promise<ErrorCode | "ok"> {
  try {
    const archive = await openZip(bytesSource(bytes), options);
    for (const entry of archive.entries) if (read === undefined || entry.name === read) await archive.readEntry(entry);
    return "ok";
  } catch (error) {
    if (!isKilnError(error)) throw error;
    assert.ok(error.message.length > 0 && error.hint !== undefined || error.code === "zipEntryTooLarge" || error.code === "unsupportedZip", error.message);
    return error.code;
  }
}

const good = buildZip([
  { name: "a.txt", data: "alpha ".repeat(40) },
  { name: "b.txt", data: "beta", method: 0 },
]);

const hostile: [string, Uint8Array, ErrorCode, object?][] = [
  ["empty file", new Uint8Array(), "invalidZip"],
  ["not a zip", new TextEncoder().encode("this is not a zip archive, only some text ".repeat(5)), "invalidZip"],
  ["truncated in the middle", good.subarray(0, Math.floor(good.length / 2)), "invalidZip"],
  ["truncated by one byte", good.subarray(0, good.length - 1), "invalidZip"],
  ["two entries share one offset", buildZip([{ name: "a", data: "aaaa" }, { name: "b", data: "bbbb", offset: 0 }]), "invalidZip"],
  ["duplicate names", buildZip([{ name: "a", data: "1" }, { name: "a", data: "2" }]), "invalidZip"],
  ["bad CRC-32", buildZip([{ name: "a", data: "payload", crc32: 1234 }]), "corruptZipEntry"],
  ["deflate output larger than declared (bomb)", buildZip([{ name: "a", data: new Uint8Array(1 << 20), uncompressedSize: 1000 }]), "corruptZipEntry"],
  ["deflate output smaller than declared", buildZip([{ name: "a", data: "short", uncompressedSize: 99 }]), "corruptZipEntry"],
  ["declared size over the limit", buildZip([{ name: "a", data: "x".repeat(5000) }]), "zipEntryTooLarge", { maxEntrySize: 4096 }],
  ["stored sizes disagree", buildZip([{ name: "a", data: "abcdef", method: 0, uncompressedSize: 5 }]), "corruptZipEntry"],
  ["local header names another file", buildZip([{ name: "a.txt", localName: "b.txt", data: "x" }]), "invalidZip"],
  ["bzip2 method", buildZip([{ name: "a", data: "x", method: 12, raw: new Uint8Array([1, 2, 3]) }]), "unsupportedZip"],
  ["encrypted entry", buildZip([{ name: "a", data: "x", flags: 1 }]), "unsupportedZip"],
  ["corrupt deflate stream", buildZip([{ name: "a", data: "x".repeat(10), raw: new Uint8Array([0xff, 0xff, 0xff, 0xff]) }]), "corruptZipEntry"],
  ["compressed size reaches into the directory", buildZip([{ name: "a", data: "hello", compressedSize: 500 }]), "invalidZip"],
  ["zip64 offset out of range", buildZip([{ name: "a", data: "x", zip64: true, offset: 2 ** 40 }]), "invalidZip"],
  ["too many entries", good, "zipEntryTooLarge", { maxEntries: 1 }],
  // Each entry under the per-entry limit, together more than an archive may hold: refused at
  // open, from the declared sizes, before anything is inflated (an installer holds them all).
  ["entries that add up past the total limit", buildZip([{ name: "a", data: "x".repeat(3000) }, { name: "b", data: "y".repeat(3000) }]), "archiveTooLarge", { maxTotalSize: 5000 }],
  ["entries that add up past the default total limit", buildZip(["a", "b", "c"].map((name) => ({ name, data: "x", uncompressedSize: 1024 ** 3 - 1 }))), "archiveTooLarge"],
];

for (const [label, bytes, code, options] of hostile) {
  test(`refuses a hostile zip: ${label}`, async () => {
    assert.equal(await failure(bytes, undefined, options), code);
  });
}

// Node's zlib as the platform codecs (src/platform): the same refusals, with the same codes.
const nodeCodecs = nodeZipCodecs;

for (const [label, bytes, code, options] of hostile) {
  test(`refuses a hostile zip with the platform's codecs: ${label}`, async () => {
    assert.equal(await failure(bytes, undefined, { ...options, codecs: nodeCodecs }), code);
  });
}

test("the platform's codecs read real wheels to the same bytes", async () => {
  for (const wheel of allRealWheels().slice(0, 6)) {
    const bytes = new Uint8Array(readFileSync(wheel));
    const portable = await openZip(bytesSource(bytes));
    const native = await openZip(bytesSource(bytes), { codecs: nodeCodecs });
    for (const entry of portable.entries) {
      if (!entry.isDirectory) assert.equal(sha256(await native.readEntry(entry.name)), sha256(await portable.readEntry(entry)), `${basename(wheel)}: ${entry.name}`);
    }
  }
});

test("a valid archive built by the test builder reads back", async () => {
  assert.equal(await failure(good), "ok");
  const archive = await openZip(bytesSource(good));
  assert.equal(text(await archive.readEntry("a.txt")), "alpha ".repeat(40));
  await assert.rejects(archive.readEntry("missing"), (error) => isKilnError(error, "zipEntryNotFound"));
});

test("an entry count larger than the directory can hold is refused before reading it", async () => {
  const bytes = good.slice();
  const view = new DataView(bytes.buffer);
  const eocd = bytes.length - 22;
  view.setUint16(eocd + 8, 60000, true);
  view.setUint16(eocd + 10, 60000, true);
  assert.equal(await failure(bytes), "invalidZip");
});

test("a lying source that returns short reads gives a clear error", async () => {
  const source: RandomAccessSource = { size: good.length, read: async (offset, length) => good.subarray(offset, offset + Math.max(0, length - 1)) };
  await assert.rejects(openZip(source), (error) => isKilnError(error, "invalidZip") && /asked for \d+ bytes/.test(error.message));
});

test("an entry identical to one already read is not inflated again, and a lookalike is checked on its own", async () => {
  const data = new TextEncoder().encode("the same library, twice ".repeat(200));
  const first = buildZip([{ name: "lib.so", data }]);
  const compressedSize = new DataView(first.buffer, first.byteOffset).getUint32(18, true);
  const deflated = first.subarray(30 + "lib.so".length, 30 + "lib.so".length + compressedSize);
  const tampered = deflated.slice();
  tampered[tampered.length >> 1]! ^= 0x55;
  const bytes = buildZip([
    { name: "lib.so", data },
    { name: "lib.so.1", data },
    // Same method, CRC-32 and sizes in the directory, different compressed bytes.
    { name: "lib.so.2", data, raw: tampered, compressedSize, crc32: crc32(data) },
  ]);
  // With the platform's comparison, and with the portable one.
  for (const equal of [nodeZipCodecs.equal, undefined]) {
    let inflated = 0;
    const codecs = { ...nodeZipCodecs, equal, inflateRaw: (c: Uint8Array, max: number) => (inflated++, nodeZipCodecs.inflateRaw!(c, max)) };
    const archive = await openZip(bytesSource(bytes), { codecs });
    const a = await archive.readEntry("lib.so");
    const b = await archive.readEntry("lib.so.1");
    assert.equal(text(b), text(data));
    assert.equal(a, b);
    assert.equal(inflated, 1);
    await assert.rejects(archive.readEntry("lib.so.2"), (error) => isKilnError(error, "corruptZipEntry"));
    assert.equal(inflated, 2);
  }
});

test("an identical entry with a bad CRC-32 is refused each time it is read", async () => {
  const bytes = buildZip([{ name: "a", data: "payload", crc32: 1234 }, { name: "b", data: "payload", crc32: 1234 }]);
  assert.equal(await failure(bytes, "a"), "corruptZipEntry");
  const archive = await openZip(bytesSource(bytes));
  for (const name of ["a", "b"]) await assert.rejects(archive.readEntry(name), (error) => isKilnError(error, "corruptZipEntry"), name);
});
