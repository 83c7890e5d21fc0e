import { strict as assert } from "node:assert";
import { crc32 as zlibCrc32 } from "node:zlib";
import { test } from "node:test";
import fc from "fast-check";
import { crc32 } from "./crc32.js";

test("crc32 matches the check value and node:zlib", () => {
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  assert.equal(crc32(new Uint8Array()), 0);
});

test("crc32 agrees with zlib on random input, whole or in pieces", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), (bytes, split) => {
      const at = Math.min(split, bytes.length);
      assert.equal(crc32(bytes), zlibCrc32(bytes) >>> 0);
      assert.equal(crc32(bytes.subarray(at), crc32(bytes.subarray(0, at))), crc32(bytes));
    }),
  );
});
