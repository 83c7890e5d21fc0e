import { strict as assert } from "node:assert";
import { test } from "node:test";
import { decodeSnapshotFile, decodeSnapshotHeader, encodeSnapshotFile, readSnapshotKey, snapshotHeaderLength, snapshotPayloadRejection } from "./snapshot-file.js";
import { snapshotKey, snapshotName } from "./snapshot-key.js";

// A deliberately simple checksum: the tests are about the format, not the hash.
const checksum = (bytes: Uint8Array) => bytes.reduce((sum, byte) => (sum * 31 + byte) >>> 0, 7);
const page = 65536;
// Pages: data, zeros, zeros, data, data, zeros, then a short last page with data: three extents.
const payload = new Uint8Array(6 * page + 1000);
for (const start of [0, 3 * page, 4 * page, 6 * page]) payload.fill(0, start, start + 10).set([1, 2, 3, start % 251], start + 5);
payload[6 * page + 999] = 9;
const key = snapshotKey({ buildIdentity: "314.0.7|x", startup: { args: [], env: {} }, driverSource: "print(1)" });
const file = encodeSnapshotFile(payload, { key, checksum });
const options = { key, checksum };

test("a snapshot file round-trips, all-zero pages left out of the file", () => {
  const decoded = decodeSnapshotFile(file, options);
  assert.ok(decoded.ok);
  assert.deepEqual(decoded.payload, payload);
  assert.equal(decoded.payload.byteOffset % 16, 0, "aligned for Pyodide's Uint32Array view");
  const header = decodeSnapshotHeader(file, { ...options, fileLength: file.length });
  assert.ok(header.ok);
  assert.deepEqual(header.extents.map(({ offset, length }) => [offset, length]), [[0, page], [3 * page, 2 * page], [6 * page, 1000]]);
  assert.equal(file.length, header.headerSize + 3 * page + 1000);
  const empty = encodeSnapshotFile(new Uint8Array(3 * page), options);
  assert.deepEqual(decodeSnapshotFile(empty, options), { ok: true, payload: new Uint8Array(3 * page) }, "all zeros: nothing stored");
});

const damaged: Array<[string, () => Uint8Array, string]> = [
  ["empty", () => new Uint8Array(0), "too-short"],
  ["not a snapshot", () => new TextEncoder().encode("PK\u0003\u0004 this is a zip file, not a snapshot"), "bad-magic"],
  ["truncated payload", () => file.subarray(0, file.length - 100), "truncated"],
  ["truncated header", () => file.subarray(0, 30), "truncated"],
  ["one flipped byte in the last extent", () => flip(file, file.length - 5), "checksum"],
  ["one flipped byte in the first extent", () => flip(file, headerSizeOf(file) + 7), "checksum"],
  ["one flipped byte in the extent table", () => flip(file, 28 + new DataView(file.buffer).getUint32(12, true) + 13), "checksum"],
  ["extra bytes", () => concat(file, new Uint8Array(8)), "truncated"],
];

for (const [name, make, reason] of damaged) {
  test(`a ${name} snapshot is refused (${reason})`, () => {
    const decoded = decodeSnapshotFile(make(), options);
    assert.deepEqual(decoded, { ok: false, reason });
  });
}

test("a snapshot for another build or start-up configuration is refused", () => {
  const otherBuild = snapshotKey({ buildIdentity: "314.0.8|x", startup: { args: [], env: {} }, driverSource: "print(1)" });
  const otherArgs = snapshotKey({ buildIdentity: "314.0.7|x", startup: { args: ["-u"], env: {} }, driverSource: "print(1)" });
  const otherDriver = snapshotKey({ buildIdentity: "314.0.7|x", startup: { args: [], env: {} }, driverSource: "print(2)" });
  for (const other of [otherBuild, otherArgs, otherDriver]) {
    assert.notEqual(snapshotName(other), snapshotName(key));
    assert.deepEqual(decodeSnapshotFile(file, { key: other, checksum }), { ok: false, reason: "other-key" });
  }
});

test("the header alone, read first, says where each extent goes; the extents' checksums are checked once read into place", () => {
  assert.equal(snapshotHeaderLength(file.subarray(0, 28)), headerSizeOf(file));
  assert.equal(snapshotHeaderLength(new TextEncoder().encode("not a snapshot header at all, no")), undefined);
  const header = decodeSnapshotHeader(file.subarray(0, 512), { ...options, fileLength: file.length });
  assert.ok(header.ok);
  assert.equal(header.headerSize % 16, 0);
  assert.equal(header.payloadLength, payload.length);
  const placed = new Uint8Array(header.payloadLength);
  let at = header.headerSize;
  for (const extent of header.extents) {
    placed.set(file.subarray(at, at + extent.length), extent.offset);
    at += extent.length;
  }
  assert.equal(snapshotPayloadRejection(placed, header, checksum), undefined);
  assert.deepEqual(placed, payload);
  placed[3 * page + 6] = placed[3 * page + 6]! ^ 1;
  assert.equal(snapshotPayloadRejection(placed, header, checksum), "checksum");
  assert.equal(snapshotPayloadRejection(payload.subarray(1), header, checksum), "truncated");
});

const badHeaders: Array<[string, Uint8Array, number, string]> = [
  ["a file shorter than its header says", file.subarray(0, 512), file.length - 1, "truncated"],
  ["a file longer than its header says", file.subarray(0, 512), file.length + 16, "truncated"],
  ["a head cut inside the key", file.subarray(0, 30), file.length, "truncated"],
  ["a head cut inside the extent table", file.subarray(0, headerSizeOf(file) - 20), file.length, "truncated"],
  ["an empty file", new Uint8Array(0), 0, "too-short"],
  ["another format", new TextEncoder().encode("PK\u0003\u0004 not a snapshot, just some zip file bytes"), 1000, "bad-magic"],
  ["kiln's earlier format", concat(new TextEncoder().encode("KILNSNP1"), new Uint8Array(40)), 1000, "bad-magic"],
];

for (const [name, head, fileLength, reason] of badHeaders) {
  test(`the header of ${name} is refused (${reason})`, () => {
    assert.deepEqual(decodeSnapshotHeader(head, { ...options, fileLength }), { ok: false, reason });
  });
}

function headerSizeOf(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
}

function flip(bytes: Uint8Array, index: number): Uint8Array {
  const copy = bytes.slice();
  copy[index] = copy[index]! ^ 0x40;
  return copy;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const result = new Uint8Array(a.length + b.length);
  result.set(a);
  result.set(b, a.length);
  return result;
}

test("readSnapshotKey reads the key from the header alone, and nothing from what is no snapshot", () => {
  const reads: number[] = [];
  const reader = (bytes: Uint8Array) => (offset: number, length: number) => {
    reads.push(offset + length);
    return bytes.subarray(offset, offset + length);
  };
  assert.equal(readSnapshotKey(reader(file)), key);
  assert.ok(Math.max(...reads) <= snapshotHeaderLength(file)!, "nothing past the header is read");
  const cases: Array<[string, Uint8Array]> = [
    ["empty", new Uint8Array()],
    ["other magic", Uint8Array.from(file, (byte, index) => (index === 0 ? 0 : byte))],
    ["key cut short", file.subarray(0, 30)],
  ];
  for (const [name, bytes] of cases) assert.equal(readSnapshotKey(reader(bytes)), undefined, name);
});
