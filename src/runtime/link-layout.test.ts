import { strict as assert } from "node:assert";
import { test } from "node:test";
import { encodeLinkLayout, tryDecodeLinkLayout, type LinkLayout } from "./link-layout.js";

const layout: LinkLayout = {
  tableBefore: 15000,
  tableAfter: 21000,
  count: 5,
  kinds: Uint8Array.of(1, 2, 0, 1, 1),
  values: Int32Array.of(15000, 1048576, 0, 42, -7),
};

test("a link layout survives encoding", () => {
  assert.deepEqual(tryDecodeLinkLayout(encodeLinkLayout(layout)), layout);
  const empty = { ...layout, count: 0, kinds: new Uint8Array(0), values: new Int32Array(0) };
  assert.deepEqual(tryDecodeLinkLayout(encodeLinkLayout(empty)), empty);
});

test("damaged link layouts are refused", () => {
  const bytes = encodeLinkLayout(layout);
  const flip = (at: number) => {
    const copy = bytes.slice();
    copy[at] = copy[at]! ^ 1;
    return copy;
  };
  const cases: Array<[string, Uint8Array]> = [
    ["empty", new Uint8Array(0)],
    ["truncated", bytes.subarray(0, bytes.length - 4)],
    ["extended", Uint8Array.of(...bytes, 0, 0, 0, 0)],
    ["magic", flip(0)],
    ["table length", flip(4)],
    ["a value", flip(24)],
    ["a kind", flip(bytes.length - 6)],
    ["checksum", flip(bytes.length - 1)],
    ["count", flip(12)],
  ];
  for (const [name, damaged] of cases) assert.equal(tryDecodeLinkLayout(damaged), undefined, name);
  // A kind that does not exist, with a checksum that matches it.
  const badKind = encodeLinkLayout({ ...layout, kinds: Uint8Array.of(1, 2, 3, 1, 1) });
  assert.equal(tryDecodeLinkLayout(badKind), undefined);
});
