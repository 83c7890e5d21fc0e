import { ByteReader } from "./byte-reader.js";
import { codeFeaturesOf, featureBits, flagged, flagsOf, miscellaneousImmediates, shapes } from "./opcode-shapes.js";
import { WasmFormatError } from "./wasm-format-error.js";

/** What the instructions of a module use, found by decoding every function body. */
export interface CodeFeatures {
  /** Legacy exception handling (`try`, `catch`, `catch_all`, `delegate`, `rethrow`): Emscripten's `-fwasm-exceptions` up to now. */
  legacyExceptions: boolean;
  /** Exception handling with `exnref` (`try_table`, `throw_ref`). */
  exnrefExceptions: boolean;
  /** `throw` (either encoding). */
  throws: boolean;
  /** Atomic memory instructions (threads). */
  atomics: boolean;
  /** 128-bit SIMD instructions. */
  simd: boolean;
  /** Bulk memory (`memory.copy`, `memory.fill`, `memory.init`, …). */
  bulkMemory: boolean;
  /** Tail calls (`return_call`, `return_call_indirect`). */
  tailCalls: boolean;
  /** Number of function bodies scanned. */
  functions: number;
  /** Bodies with an instruction kiln does not know (GC, …): the scan skipped the rest of each. */
  unknownInstructions: { offset: number; opcode: string }[];
}

const { atomics, bulk, simd } = featureBits;

/**
 * Decodes every function body of a code section in one pass (no list of bodies is built) and
 * records which instruction families appear. A body with an unknown instruction is reported and
 * skipped (its size is known), so one exotic function does not hide the rest; a malformed
 * section or immediate throws a {@link WasmFormatError} naming the offset.
 *
 * @example
 * const features = scanCode(bytes, module.section("code")!, "m.so");
 * if (features.legacyExceptions) …
 */
export function scanCode(bytes: Uint8Array, section: { offset: number; size: number }, source: string): CodeFeatures {
  const unknownInstructions: CodeFeatures["unknownInstructions"] = [];
  const reader = new ByteReader(bytes, { source, start: section.offset, end: section.offset + section.size });
  const start = reader.offset;
  const count = reader.u32();
  // Every body takes at least one byte (its size), so a hostile count cannot loop for long.
  if (count > reader.remaining) reader.fail(`vector of ${count} elements cannot fit in ${reader.remaining} bytes`, start);
  let flags = 0;
  for (let index = 0; index < count; index++) {
    const size = reader.u32();
    const offset = reader.offset;
    reader.skip(size);
    const end = offset + size;
    const result = scanBody(bytes, skipLocals(bytes, offset, end, source), end, source);
    if (typeof result === "number") flags |= result;
    else {
      flags |= result.flags;
      unknownInstructions.push({ offset: result.offset, opcode: result.opcode });
    }
  }
  reader.expectEnd("code section");
  return codeFeaturesOf(flags, count, unknownInstructions);
}

/** The features of a module without a code section. */
export function noCode(): CodeFeatures {
  return codeFeaturesOf(0, 0, []);
}

function fail(source: string, offset: number, problem: string): never {
  throw new WasmFormatError({ source, offset, problem });
}

/**
 * One body in a tight loop over local variables: immediates are skipped, not decoded (a LEB128
 * number is skipped by its continuation bits), and the position is checked against the body's
 * end after each instruction, so a truncated body fails instead of reading on. Returns the
 * feature bits, or where an unknown instruction stopped the scan.
 */
function scanBody(bytes: Uint8Array, start: number, end: number, source: string): number | { flags: number; offset: number; opcode: string } {
  let p = start;
  let flags = 0;
  while (p < end) {
    const at = p;
    const opcode = bytes[p++]!;
    let shape = shapes[opcode]!;
    // The two commonest shapes first: no immediate (p <= end holds), and one LEB.
    if (shape === 0) continue;
    if (shape === 1) {
      while (bytes[p++]! & 0x80);
      if (p > end) fail(source, at, "unexpected end of function body");
      continue;
    }
    if (shape >= flagged) {
      flags |= flagsOf[opcode]!;
      shape -= flagged;
    }
    switch (shape) {
      case 0: break;
      case 1: while (bytes[p++]! & 0x80); break;
      case 2: while (bytes[p++]! & 0x80); while (bytes[p++]! & 0x80); break;
      case 3: p = skipMemoryArgument(bytes, p); break;
      case 4: p = skipBlockType(bytes, p); break;
      case 5: {
        const [count, next] = readU32(bytes, p);
        p = next;
        for (let index = 0; index <= count && p <= end; index++) while (bytes[p++]! & 0x80);
        break;
      }
      case 6: {
        const [count, next] = readU32(bytes, p);
        p = next;
        for (let index = 0; index < count && p <= end; index++) p = skipValueType(bytes, p, source);
        break;
      }
      case 7: p = skipCatchClauses(bytes, skipBlockType(bytes, p), end, source); break;
      case 8: p += 4; break;
      case 9: p += 8; break;
      case 11: {
        const [sub, next] = readU32(bytes, p);
        p = next;
        const after = prefixed(bytes, opcode, sub, p);
        if (after < 0) return { flags, offset: at, opcode: `0x${opcode.toString(16)} ${sub}` };
        if (opcode === 0xfd) flags |= simd;
        else if (opcode === 0xfe) flags |= atomics;
        else if (sub >= 8) flags |= bulk;
        p = after;
        break;
      }
      default: return { flags, offset: at, opcode: `0x${opcode.toString(16)}` };
    }
    if (p > end) fail(source, at, shape === 8 || shape === 9 || shape === 11 ? `${p - at - 1} bytes needed but only ${end - at - 1} remain` : "unexpected end of function body");
  }
  return flags;
}

/** Skips a body's local declarations (a vector of count and value type). */
function skipLocals(bytes: Uint8Array, p: number, end: number, source: string): number {
  const [groups, next] = readU32(bytes, p);
  p = next;
  for (let index = 0; index < groups && p <= end; index++) {
    while (bytes[p++]! & 0x80);
    p = skipValueType(bytes, p, source);
  }
  if (p > end) fail(source, end, "unexpected end of function body in its locals");
  return p;
}

/** Reads a LEB128 u32 (enough for counts and sub-opcodes); returns the value and the next position. */
function readU32(bytes: Uint8Array, p: number): [number, number] {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    byte = bytes[p++] ?? 0;
    if (shift < 32) value |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  return [value >>> 0, p];
}

function skipMemoryArgument(bytes: Uint8Array, p: number): number {
  // The alignment's bit 6 (a memory index follows) is in its first byte.
  const first = bytes[p++]!;
  if (first & 0x80) while (bytes[p++]! & 0x80);
  if (first & 0x40) while (bytes[p++]! & 0x80);
  while (bytes[p++]! & 0x80);
  return p;
}

function skipBlockType(bytes: Uint8Array, p: number): number {
  if (bytes[p] === 0x63 || bytes[p] === 0x64) p++;
  while (bytes[p++]! & 0x80);
  return p;
}

function skipValueType(bytes: Uint8Array, p: number, source: string): number {
  const code = bytes[p++]!;
  if (code === 0x63 || code === 0x64) while (bytes[p++]! & 0x80);
  else if (!((code >= 0x69 && code <= 0x74) || (code >= 0x7b && code <= 0x7f))) fail(source, p - 1, `unknown value type 0x${(code ?? 0).toString(16)}`);
  return p;
}

function skipCatchClauses(bytes: Uint8Array, p: number, end: number, source: string): number {
  const [count, next] = readU32(bytes, p);
  p = next;
  for (let index = 0; index < count && p <= end; index++) {
    const kind = bytes[p++]!;
    if (kind > 3) fail(source, p - 1, `unknown catch clause kind ${kind}`);
    if (kind < 2) while (bytes[p++]! & 0x80);
    while (bytes[p++]! & 0x80);
  }
  return p;
}

/** Skips the immediates of a 0xfc/0xfd/0xfe instruction; -1 for a sub-opcode kiln does not know. */
function prefixed(bytes: Uint8Array, prefix: number, sub: number, p: number): number {
  if (prefix === 0xfc) {
    const immediates = miscellaneousImmediates[sub];
    if (immediates === undefined) return -1;
    for (let index = 0; index < immediates; index++) while (bytes[p++]! & 0x80);
    return p;
  }
  if (prefix === 0xfd) {
    if (sub <= 11 || sub === 92 || sub === 93) return skipMemoryArgument(bytes, p);
    if (sub === 12 || sub === 13) return p + 16;
    if (sub >= 21 && sub <= 34) return p + 1;
    if (sub >= 84 && sub <= 91) return skipMemoryArgument(bytes, p) + 1;
    return sub > 0x113 ? -1 : p;
  }
  if (sub === 3) return p + 1;
  if (sub > 0x4e || (sub > 3 && sub < 0x10)) return -1;
  return skipMemoryArgument(bytes, p);
}
