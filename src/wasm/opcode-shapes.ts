import type { CodeFeatures } from "./scan-code.js";

/**
 * Immediate shapes of the one-byte opcodes, shared by the JavaScript scan and the WebAssembly
 * one: 0 none, 1 one LEB, 2 two LEBs, 3 memarg, 4 block type, 5 br_table, 6 select t*,
 * 7 try_table, 8 f32, 9 f64, 11 prefix, 12 unknown; plus {@link flagged} when the opcode sets a
 * feature bit.
 */
export const shapes = new Uint8Array(256).fill(12);
const set = (shape: number, ...opcodes: number[]) => opcodes.forEach((o) => (shapes[o] = shape));
set(0, 0x00, 0x01, 0x05, 0x0a, 0x0b, 0x0f, 0x19, 0x1a, 0x1b, 0xd1, 0xd3, 0xd4);
for (let o = 0x45; o <= 0xc4; o++) shapes[o] = 0;
set(1, 0x07, 0x08, 0x09, 0x0c, 0x0d, 0x10, 0x12, 0x14, 0x15, 0x18, 0x3f, 0x40, 0x41, 0x42, 0xd0, 0xd2, 0xd5, 0xd6);
for (let o = 0x20; o <= 0x26; o++) shapes[o] = 1;
set(2, 0x11, 0x13);
for (let o = 0x28; o <= 0x3e; o++) shapes[o] = 3;
set(4, 0x02, 0x03, 0x04, 0x06);
set(5, 0x0e);
set(6, 0x1c);
set(7, 0x1f);
set(8, 0x43);
set(9, 0x44);
set(11, 0xfc, 0xfd, 0xfe);

/** The feature bits of {@link CodeFeatures}, as the scans collect them. */
export const featureBits = { legacy: 1, exnref: 2, throws: 4, atomics: 8, simd: 16, bulk: 32, tail: 64 } as const;

/** The feature bits each one-byte opcode sets. */
export const flagsOf = new Uint8Array(256);
for (const o of [0x06, 0x07, 0x09, 0x18, 0x19]) flagsOf[o] = featureBits.legacy;
flagsOf[0x08] = featureBits.throws;
flagsOf[0x0a] = featureBits.exnref;
flagsOf[0x1f] = featureBits.exnref;
for (const o of [0x12, 0x13, 0x15]) flagsOf[o] = featureBits.tail;

/** Marks, in {@link shapes}, the opcodes that set a feature bit, so common instructions skip the flag lookup. */
export const flagged = 16;
for (let o = 0; o < 256; o++) if (flagsOf[o]) shapes[o]! |= flagged;

/** How many LEB immediates each 0xfc sub-opcode (0 to 17) has. */
export const miscellaneousImmediates = [0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 2, 1, 2, 1, 2, 1, 1, 1];

/**
 * The features named by a scan's bits.
 *
 * @example
 * codeFeaturesOf(featureBits.simd, 12, []).simd; // true
 */
export function codeFeaturesOf(flags: number, functions: number, unknownInstructions: CodeFeatures["unknownInstructions"]): CodeFeatures {
  const has = (bit: number) => (flags & bit) !== 0;
  return {
    legacyExceptions: has(featureBits.legacy), exnrefExceptions: has(featureBits.exnref), throws: has(featureBits.throws),
    atomics: has(featureBits.atomics), simd: has(featureBits.simd), bulkMemory: has(featureBits.bulk), tailCalls: has(featureBits.tail),
    functions, unknownInstructions,
  };
}
