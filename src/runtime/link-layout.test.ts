import { strict as assert } from "node:assert";
import { test } from "node:test";
import { encodeLinkLayout, tryDecodeLinkLayout as decodeWith, type LinkLayout } from "./link-layout.js";

// FNV-1a: any checksum will do here; Node's runs use CRC-32.
function checksum(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193);
  return hash >>> 0;
}
const encode = (value: LinkLayout) => encodeLinkLayout(value, { checksum });
const tryDecodeLinkLayout = (bytes: Uint8Array) => decodeWith(bytes, { checksum });

const layout: LinkLayout = {
  tableBefore: 15000,
  tableAfter: 21000,
  count: 5,
  kinds: Uint8Array.of(1, 2, 0, 1, 1),
  values: Int32Array.of(15000, 1048576, 0, 42, -7),
  existing: { names: ["memory_base", "PyLong_FromLong", "js_only"], positions: Int32Array.of(1, 3, -1) },
};

test("a link layout survives encoding", () => {
  assert.deepEqual(tryDecodeLinkLayout(encode(layout)), layout);
  const empty = { ...layout, count: 0, kinds: new Uint8Array(0), values: new Int32Array(0), existing: { names: [], positions: new Int32Array(0) } };
  assert.deepEqual(tryDecodeLinkLayout(encode(empty)), empty);
  // A name that cannot be stored: the layout keeps no existing entries (a start then lists the exports' names).
  const newline = { ...layout, existing: { names: ["a\nb", "c", "d"], positions: Int32Array.of(0, 1, 2) } };
  assert.deepEqual(tryDecodeLinkLayout(encode(newline))?.existing, { names: [], positions: new Int32Array(0) });
});

test("damaged link layouts are refused", () => {
  const bytes = encode(layout);
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
    ["existing section's length", flip(16)],
    ["an existing entry's name", flip(bytes.length - 8)],
  ];
  for (const [name, damaged] of cases) assert.equal(tryDecodeLinkLayout(damaged), undefined, name);
  // A kind that does not exist, with a checksum that matches it.
  const badKind = encode({ ...layout, kinds: Uint8Array.of(1, 2, 3, 1, 1) });
  assert.equal(tryDecodeLinkLayout(badKind), undefined);
  // An existing entry's position past the exports, with a checksum that matches it.
  const badPosition = encode({ ...layout, existing: { names: ["a"], positions: Int32Array.of(5) } });
  assert.equal(tryDecodeLinkLayout(badPosition), undefined);
});

test("a large layout, read from inside a larger buffer, decodes to the same values and kinds", () => {
  const count = 20000;
  const large: LinkLayout = {
    tableBefore: 1,
    tableAfter: 9,
    count,
    kinds: Uint8Array.from({ length: count }, (_, index) => index % 3),
    values: Int32Array.from({ length: count }, (_, index) => (index % 2 ? -index : index * 65537)),
    existing: { names: Array.from({ length: 300 }, (_, index) => `symbol_${index}`), positions: Int32Array.from({ length: 300 }, (_, index) => index * 7 - 1) },
  };
  const bytes = encode(large);
  const inside = new Uint8Array(bytes.length + 12);
  inside.set(bytes, 8);
  assert.deepEqual(tryDecodeLinkLayout(inside.subarray(8, 8 + bytes.length)), large);
  const wrongKind = large.kinds.slice();
  wrongKind[count - 1] = 7;
  assert.equal(tryDecodeLinkLayout(encode({ ...large, kinds: wrongKind })), undefined, "a kind past the first slices");
});
