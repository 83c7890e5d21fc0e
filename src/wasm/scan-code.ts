import { ByteReader } from "./byte-reader.js";
import type { FunctionBody } from "./decode-sections.js";
import { readHeapType, readValueType } from "./read-types.js";

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

class UnknownInstruction {
  constructor(readonly offset: number, readonly opcode: string) {}
}

/**
 * Decodes every function body and records which instruction families appear. A body with an
 * unknown instruction is reported and skipped (its size is known), so one exotic function does
 * not hide the rest; malformed immediates still throw a {@link WasmFormatError}.
 *
 * @example
 * const features = scanCode(bytes, module.functionBodies(), "m.so");
 * if (features.legacyExceptions) …
 */
export function scanCode(bytes: Uint8Array, bodies: FunctionBody[], source: string): CodeFeatures {
  const features: CodeFeatures = {
    legacyExceptions: false, exnrefExceptions: false, throws: false, atomics: false, simd: false,
    bulkMemory: false, tailCalls: false, functions: 0, unknownInstructions: [],
  };
  for (const body of bodies) {
    const reader = new ByteReader(bytes, { source, start: body.offset, end: body.offset + body.size });
    reader.vector((r) => {
      r.u32();
      readValueType(r);
    }, 2);
    try {
      scanInstructions(reader, features);
    } catch (error) {
      if (!(error instanceof UnknownInstruction)) throw error;
      features.unknownInstructions.push({ offset: error.offset, opcode: error.opcode });
    }
    features.functions++;
  }
  return features;
}

function readBlockType(reader: ByteReader): void {
  const code = reader.bytes[reader.offset];
  if (code === 0x63 || code === 0x64) readValueType(reader);
  else reader.signed(33);
}

function readMemoryArgument(reader: ByteReader): void {
  const align = reader.u32();
  if (align & 0x40) reader.u32();
  reader.u64();
}

function scanInstructions(reader: ByteReader, features: CodeFeatures): void {
  while (reader.remaining > 0) {
    const start = reader.offset;
    const opcode = reader.u8();
    if (opcode <= 0x01 || opcode === 0x05 || opcode === 0x0b || opcode === 0x0f || opcode === 0x1a || opcode === 0x1b) continue;
    if ((opcode >= 0x45 && opcode <= 0xc4) || opcode === 0xd1 || opcode === 0xd3 || opcode === 0xd4) continue;
    if (opcode >= 0x28 && opcode <= 0x3e) {
      readMemoryArgument(reader);
      continue;
    }
    if (opcode >= 0x20 && opcode <= 0x26) {
      reader.u32();
      continue;
    }
    switch (opcode) {
      case 0x02: case 0x03: case 0x04: readBlockType(reader); break;
      case 0x06: features.legacyExceptions = true; readBlockType(reader); break;
      case 0x07: features.legacyExceptions = true; reader.u32(); break;
      case 0x08: features.throws = true; reader.u32(); break;
      case 0x09: case 0x18: features.legacyExceptions = true; reader.u32(); break;
      case 0x19: features.legacyExceptions = true; break;
      case 0x0a: features.exnrefExceptions = true; break;
      case 0x0c: case 0x0d: case 0x10: case 0x14: case 0x3f: case 0x40: case 0xd2: case 0xd5: case 0xd6: reader.u32(); break;
      case 0x12: features.tailCalls = true; reader.u32(); break;
      case 0x13: features.tailCalls = true; reader.u32(); reader.u32(); break;
      case 0x15: features.tailCalls = true; reader.u32(); break;
      case 0x0e: reader.vector((r) => r.u32()); reader.u32(); break;
      case 0x11: reader.u32(); reader.u32(); break;
      case 0x1c: reader.vector(readValueType); break;
      case 0x1f: features.exnrefExceptions = true; readBlockType(reader); reader.vector(readCatchClause, 2); break;
      case 0x41: reader.signed(32); break;
      case 0x42: reader.signed(64); break;
      case 0x43: reader.skip(4); break;
      case 0x44: reader.skip(8); break;
      case 0xd0: readHeapType(reader); break;
      case 0xfc: scanMiscellaneous(reader, features, start); break;
      case 0xfd: features.simd = true; scanSimd(reader, start); break;
      case 0xfe: features.atomics = true; scanAtomic(reader); break;
      default: throw new UnknownInstruction(start, `0x${opcode.toString(16)}`);
    }
  }
}

function readCatchClause(reader: ByteReader): void {
  const start = reader.offset;
  const kind = reader.u8();
  if (kind > 3) reader.fail(`unknown catch clause kind ${kind}`, start);
  if (kind < 2) reader.u32();
  reader.u32();
}

const miscellaneousImmediates = [0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 2, 1, 2, 1, 2, 1, 1, 1];

function scanMiscellaneous(reader: ByteReader, features: CodeFeatures, start: number): void {
  const sub = reader.u32();
  const immediates = miscellaneousImmediates[sub];
  if (immediates === undefined) throw new UnknownInstruction(start, `0xfc ${sub}`);
  if (sub >= 8) features.bulkMemory = true;
  for (let index = 0; index < immediates; index++) reader.u32();
}

function scanSimd(reader: ByteReader, start: number): void {
  const sub = reader.u32();
  if (sub <= 11 || sub === 92 || sub === 93) readMemoryArgument(reader);
  else if (sub === 12 || sub === 13) reader.skip(16);
  else if (sub >= 21 && sub <= 34) reader.skip(1);
  else if (sub >= 84 && sub <= 91) {
    readMemoryArgument(reader);
    reader.skip(1);
  } else if (sub > 0x113) throw new UnknownInstruction(start, `0xfd ${sub}`);
}

function scanAtomic(reader: ByteReader): void {
  const start = reader.offset;
  const sub = reader.u32();
  if (sub === 3) {
    reader.skip(1);
    return;
  }
  if (sub > 0x4e || (sub > 3 && sub < 0x10)) throw new UnknownInstruction(start - 1, `0xfe ${sub}`);
  readMemoryArgument(reader);
}
