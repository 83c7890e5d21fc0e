import { strict as assert } from "node:assert";
import { test } from "node:test";
import { sameBytes } from "./same-bytes.js";

const bytes = (...values: number[]) => new Uint8Array(values);

for (const [label, a, b, expected] of [
  ["equal", bytes(1, 2, 3), bytes(1, 2, 3), true],
  ["both empty", bytes(), bytes(), true],
  ["one byte differs", bytes(1, 2, 3), bytes(1, 2, 4), false],
  ["a prefix", bytes(1, 2), bytes(1, 2, 0), false],
  ["equal views of different buffers", bytes(9, 1, 2).subarray(1), bytes(1, 2, 9).subarray(0, 2), true],
] as const) {
  test(`sameBytes: ${label} → ${expected}`, () => {
    assert.equal(sameBytes(a, b), expected);
    assert.equal(sameBytes(b, a), expected);
  });
}
