import { strict as assert } from "node:assert";
import { test } from "node:test";
import { decodeSnapshotFile, encodeSnapshotFile } from "./snapshot-file.js";
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
