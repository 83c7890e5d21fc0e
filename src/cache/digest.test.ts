import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { digestHex, useHostDigest, type HashName } from "./digest.js";

const inputs: [string, Uint8Array][] = [
  ["empty", new Uint8Array()],
  ["abc", new TextEncoder().encode("abc")],
  ["a megabyte", new Uint8Array(1 << 20).map((_, i) => (i * 7) & 255)],
];
const names: HashName[] = ["sha256", "sha384", "sha512"];

for (const [label, bytes] of inputs) {
  test(`digestHex of ${label}: crypto.subtle, and a host digest when given one, agree with node:crypto`, async () => {
    for (const name of names) {
      const expected = createHash(name).update(bytes).digest("hex");
      useHostDigest(undefined);
      assert.equal(await digestHex(name, bytes), expected);
      let calls = 0;
      useHostDigest((hash, data) => (calls++, createHash(hash).update(data).digest("hex")));
      try {
        assert.equal(await digestHex(name, bytes), expected);
        assert.equal(calls, 1, "the host digest was used");
      } finally {
        useHostDigest(undefined);
      }
    }
  });
}
