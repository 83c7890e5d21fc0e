import { strict as assert } from "node:assert";
import { test } from "node:test";
import { decodeSnapshotFile, decodeSnapshotHeader, encodeSnapshotFile, snapshotPayloadRejection } from "./snapshot-file.js";
import { snapshotKey, snapshotName } from "./snapshot-key.js";

// A deliberately simple checksum: the tests are about the format, not the hash.
const checksum = (bytes: Uint8Array) => bytes.reduce((sum, byte) => (sum * 31 + byte) >>> 0, 7);
const payload = Uint8Array.from({ length: 4096 }, (_, index) => (index * 7) & 0xff);
const key = snapshotKey({ buildIdentity: "314.0.7|x", startup: { args: [], env: {} }, driverSource: "print(1)" });
const file = encodeSnapshotFile(payload, { key, checksum });

test("a snapshot file round-trips, payload aligned for Pyodide's Uint32Array view", () => {
  const decoded = decodeSnapshotFile(file, { key, checksum });
  assert.ok(decoded.ok);
  assert.deepEqual(decoded.payload, payload);
  assert.equal(decoded.payload.byteOffset % 16, 0);
});

const damaged: Array<[string, () => Uint8Array, string]> = [
  ["empty", () => new Uint8Array(0), "too-short"],
  ["not a snapshot", () => new TextEncoder().encode("PK\u0003\u0004 this is a zip file, not a snapshot"), "bad-magic"],
  ["truncated payload", () => file.subarray(0, file.length - 100), "truncated"],
  ["truncated header", () => file.subarray(0, 30), "truncated"],
  ["one flipped byte", () => flip(file, file.length - 5), "checksum"],
  ["extra bytes", () => concat(file, new Uint8Array(8)), "truncated"],
];

for (const [name, make, reason] of damaged) {
  test(`a ${name} snapshot is refused (${reason})`, () => {
    const decoded = decodeSnapshotFile(make(), { key, checksum });
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

test("the header alone, read first, says where the payload is; the payload's checksum is checked on its own", () => {
  const header = decodeSnapshotHeader(file.subarray(0, 512), { key, fileLength: file.length });
  assert.ok(header.ok);
  assert.equal(header.headerSize % 16, 0);
  assert.equal(header.payloadLength, payload.length);
  assert.deepEqual(file.subarray(header.headerSize), payload);
  assert.equal(snapshotPayloadRejection(file.subarray(header.headerSize), header, checksum), undefined);
  assert.equal(snapshotPayloadRejection(flip(file, file.length - 5).subarray(header.headerSize), header, checksum), "checksum");
  assert.equal(snapshotPayloadRejection(payload.subarray(1), header, checksum), "truncated");
});

const badHeaders: Array<[string, Uint8Array, number, string]> = [
  ["a file shorter than its header says", file.subarray(0, 512), file.length - 1, "truncated"],
  ["a file longer than its header says", file.subarray(0, 512), file.length + 16, "truncated"],
  ["a head cut inside the key", file.subarray(0, 30), file.length, "truncated"],
  ["an empty file", new Uint8Array(0), 0, "too-short"],
  ["another format", new TextEncoder().encode("PK\u0003\u0004 not a snapshot, just some zip file bytes"), 1000, "bad-magic"],
];

for (const [name, head, fileLength, reason] of badHeaders) {
  test(`the header of ${name} is refused (${reason})`, () => {
    assert.deepEqual(decodeSnapshotHeader(head, { key, fileLength }), { ok: false, reason });
  });
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
