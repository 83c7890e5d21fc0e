import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { inflateRawSync } from "node:zlib";
import { deflateSync } from "fflate";
import { isKilnError } from "../core/index.js";
import { inflateBounded, inflateEntry } from "./inflate-bounded.js";

// Incompressible data, so the compressed form is above the native inflater's threshold.
const large = new Uint8Array(randomBytes(200_000));
const largeDeflated = deflateSync(large);
const small = new TextEncoder().encode("small ".repeat(100));

/** Node's zlib, as a plain Uint8Array view (deepEqual tells a Buffer from a Uint8Array). */
function nodeInflateRaw(compressed: Uint8Array, maxOutputLength: number): Uint8Array {
  const output = inflateRawSync(compressed, { maxOutputLength });
  return new Uint8Array(output.buffer, output.byteOffset, output.length);
}

const inflaters: [string, (data: Uint8Array, size: number) => Promise<Uint8Array>][] = [
  ["inflateEntry", (data, size) => inflateEntry(data, size, "entry")],
  ["inflateBounded", (data, size) => inflateBounded(data, size, "entry")],
  // A platform inflater as Node's codecs give it (it refuses a limit of 0, hence the spare byte).
  ["inflateEntry with a platform inflater", (data, size) => inflateEntry(data, size, "entry", nodeInflateRaw)],
];

for (const [label, inflate] of inflaters) {
  test(`${label} round-trips small and large entries`, async () => {
    assert.deepEqual(await inflate(largeDeflated, large.length), large);
    assert.deepEqual(await inflate(deflateSync(small), small.length), small);
    assert.deepEqual(await inflate(deflateSync(new Uint8Array()), 0), new Uint8Array());
  });

  const refused: [string, Uint8Array, number, RegExp][] = [
    ["more output than declared", largeDeflated, 100_000, /more than its declared 100000 bytes/],
    ["less output than declared", largeDeflated, large.length + 1, /inflates to 200000 bytes, not the declared 200001/],
    ["a truncated stream", largeDeflated.subarray(0, largeDeflated.length - 1000), large.length, /zip entry "entry"/],
    ["garbage", new Uint8Array(randomBytes(100_000)).fill(0xff, 0, 1), 1_000_000, /zip entry "entry"/],
    ["an empty stream", new Uint8Array(), 10, /zip entry "entry"/],
    ["small: more output than declared", deflateSync(small), small.length - 1, /more than its declared/],
    ["small: more stored-block output than declared", deflateSync(small, { level: 0 }), small.length - 1, /more than its declared/],
    ["small: less output than declared", deflateSync(small), small.length + 5, /not the declared/],
    ["small: a truncated stream", deflateSync(small).subarray(0, 10), small.length, /zip entry "entry"/],
    ["output from an entry declared empty", deflateSync(small), 0, /more than its declared 0 bytes/],
  ];
  for (const [what, data, size, message] of refused) {
    test(`${label} refuses ${what}`, async () => {
      await assert.rejects(inflate(data, size), (error) => isKilnError(error, "corruptZipEntry") && message.test(error.message));
    });
  }
}

test("a bomb declared small is refused by both inflaters", async () => {
  // 200 MB of zeros deflates to ~200 KB, above the native threshold; declared as 1 KB.
  const bomb = deflateSync(new Uint8Array(200 * 1024 * 1024));
  for (const [label, inflate] of inflaters) {
    await assert.rejects(inflate(bomb, 1024), (error) => isKilnError(error, "corruptZipEntry") && /more than its declared/.test(error.message), label);
  }
});
