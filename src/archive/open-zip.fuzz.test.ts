import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import fc from "fast-check";
import { isKilnError } from "../core/index.js";
import { makeZipWithPython } from "../../test/support/python-zip.js";
import { realWheel } from "../../test/support/real-wheels.js";
import { buildZip } from "../../test/support/zip-builder.js";
import { openZip } from "./open-zip.js";
import { bytesSource } from "./random-access-source.js";
import { safeEntryPath } from "./safe-entry-path.js";

/** Opens and reads everything; the only acceptable failure is a KilnError. */
async function readAll(bytes: Uint8Array): Promise<void> {
  try {
    const archive = await openZip(bytesSource(bytes), { maxEntrySize: 1 << 24 });
    for (const entry of archive.entries) {
      await archive.readEntry(entry);
      try {
        safeEntryPath(entry.name);
      } catch (error) {
        if (!isKilnError(error, "unsafeEntryPath")) throw error;
      }
    }
  } catch (error) {
    if (!isKilnError(error)) assert.fail(`not a KilnError: ${(error as Error)?.stack ?? error}`);
  }
}

const seeds: [string, Uint8Array][] = [
  ["iniconfig wheel", new Uint8Array(readFileSync(realWheel("iniconfig")))],
  ["zip64 archive", buildZip([{ name: "a", data: "x".repeat(300), zip64: true }, { name: "b/", method: 0 }], { zip64End: true, comment: "c" })],
  ["streamed archive", makeZipWithPython([{ name: "a.txt", data: "hello ".repeat(30) }, { name: "b", data: "", method: "stored" }], { streamed: true })],
];

test("random bytes only ever open or fail with a KilnError", async () => {
  await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), readAll), { numRuns: 300 });
});

test("random bytes behind a valid end record only ever open or fail with a KilnError", async () => {
  const tail = seeds[1]![1].subarray(-22 - 1 - 56 - 20);
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (head) => {
      const bytes = new Uint8Array(head.length + tail.length);
      bytes.set(head);
      bytes.set(tail, head.length);
      await readAll(bytes);
    }),
    { numRuns: 300 },
  );
});

for (const [label, seed] of seeds) {
  test(`mutations of a ${label} only ever read or fail with a KilnError`, async () => {
    // Mutations aim at the last 2 KiB half the time: that is where the directory and end records are.
    const position = fc.oneof(fc.nat(seed.length - 1), fc.integer({ min: Math.max(0, seed.length - 2048), max: seed.length - 1 }));
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant("set" as const), at: position, value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant("word" as const), at: position, value: fc.constantFrom(0, 0xff, 0x7f, 0x80) }),
      fc.record({ kind: fc.constant("cut" as const), at: position, value: fc.constant(0) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        let bytes = seed.slice();
        for (const { kind, at, value } of mutations) {
          if (kind === "cut") bytes = bytes.slice(0, Math.min(at, bytes.length));
          else if (kind === "word") bytes.fill(value, at, at + 4);
          else if (at < bytes.length) bytes[at] = value;
        }
        await readAll(bytes);
      }),
      { numRuns: 400 },
    );
  });
}
