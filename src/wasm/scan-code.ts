import { ByteReader } from "./byte-reader.js";
import type { FunctionBody } from "./decode-sections.js";
import { readValueType } from "./read-types.js";
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

class UnknownInstruction {
  constructor(readonly offset: number, readonly opcode: string) {}
}

// Immediate shapes of the one-byte opcodes: 0 none, 1 one LEB, 2 two LEBs, 3 memarg, 4 block type,
// 5 br_table, 6 select t*, 7 try_table, 8 f32, 9 f64, 10 heap type, 11 prefix, 12 unknown.
const shapes = new Uint8Array(256).fill(12);
const set = (shape: number, ...opcodes: number[]) => opcodes.forEach((o) => (shapes[o] = shape));
set(0, 0x00, 0x01, 0x05, 0x0a, 0x0b, 0x0f, 0x19, 0x1a, 0x1b, 0xd1, 0xd3, 0xd4);
for (let o = 0x45; o <= 0xc4; o++) shapes[o] = 0;
set(1, 0x07, 0x08, 0x09, 0x0c, 0x0d, 0x10, 0x12, 0x14, 0x15, 0x18, 0x3f, 0x40, 0x41, 0x42, 0xd2, 0xd5, 0xd6);
for (let o = 0x20; o <= 0x26; o++) shapes[o] = 1;
set(2, 0x11, 0x13);
for (let o = 0x28; o <= 0x3e; o++) shapes[o] = 3;
set(4, 0x02, 0x03, 0x04, 0x06);
set(5, 0x0e);
set(6, 0x1c);
set(7, 0x1f);
set(8, 0x43);
set(9, 0x44);
set(10, 0xd0);
set(11, 0xfc, 0xfd, 0xfe);

const legacyOpcodes = new Set([0x06, 0x07, 0x09, 0x18, 0x19]);
const miscellaneousImmediates = [0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 2, 1, 2, 1, 2, 1, 1, 1];

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
      new Scanner(bytes, reader.offset, reader.end, source).run(features);
    } catch (error) {
      if (!(error instanceof UnknownInstruction)) throw error;
      features.unknownInstructions.push({ offset: error.offset, opcode: error.opcode });
    }
    features.functions++;
  }
  return features;
}

/**
 * A tight cursor over one body: immediates are skipped, not decoded, and every read is checked
 * against the body's end (the hot loop avoids the general reader's per-call overhead).
 */
class Scanner {
  constructor(private readonly bytes: Uint8Array, private position: number, private readonly end: number, private readonly source: string) {}

  private fail(problem: string, offset = this.position): never {
    throw new WasmFormatError({ source: this.source, offset, problem });
  }

  private byte(): number {
    if (this.position >= this.end) this.fail("unexpected end of function body");
    return this.bytes[this.position++]!;
  }

  /** Skips one LEB128 number of at most `maxBytes` bytes; returns its low 28 bits (enough for sub-opcodes and counts). */
  private leb(maxBytes = 10): number {
    const start = this.position;
    let value = 0;
    for (let index = 0; index < maxBytes; index++) {
      const byte = this.byte();
      if (index < 4) value |= (byte & 0x7f) << (7 * index);
      if ((byte & 0x80) === 0) return value >>> 0;
    }
    return this.fail(`LEB128 number is longer than ${maxBytes} bytes`, start);
  }

  private skip(count: number): void {
    if (this.position + count > this.end) this.fail(`${count} bytes needed but only ${this.end - this.position} remain`);
    this.position += count;
  }

  private memoryArgument(): void {
    const align = this.leb(5);
    if (align & 0x40) this.leb(5);
    this.leb(10);
  }

  private valueType(): void {
    const code = this.byte();
    if (code === 0x63 || code === 0x64) this.leb(5);
    else if (!((code >= 0x69 && code <= 0x74) || (code >= 0x7b && code <= 0x7f))) this.fail(`unknown value type 0x${code.toString(16)}`, this.position - 1);
  }

  private blockType(): void {
    const code = this.bytes[this.position];
    if (code === 0x63 || code === 0x64) this.valueType();
    else this.leb(5);
  }

  run(features: CodeFeatures): void {
    while (this.position < this.end) {
      const start = this.position;
      const opcode = this.bytes[this.position++]!;
      switch (shapes[opcode]) {
        case 0: if (opcode === 0x0a) features.exnrefExceptions = true; else if (opcode === 0x19) features.legacyExceptions = true; break;
        case 1:
          if (opcode === 0x08) features.throws = true;
          else if (opcode === 0x12 || opcode === 0x15) features.tailCalls = true;
          else if (legacyOpcodes.has(opcode)) features.legacyExceptions = true;
          this.leb();
          break;
        case 2: if (opcode === 0x13) features.tailCalls = true; this.leb(5); this.leb(5); break;
        case 3: this.memoryArgument(); break;
        case 4: if (opcode === 0x06) features.legacyExceptions = true; this.blockType(); break;
        case 5: for (let count = this.leb(5); count >= 0; count--) this.leb(5); break;
        case 6: for (let count = this.leb(5); count > 0; count--) this.valueType(); break;
        case 7: features.exnrefExceptions = true; this.blockType(); this.catchClauses(); break;
        case 8: this.skip(4); break;
        case 9: this.skip(8); break;
        case 10: this.leb(5); break;
        case 11: this.prefixed(opcode, start, features); break;
        default: throw new UnknownInstruction(start, `0x${opcode.toString(16)}`);
      }
    }
  }

  private catchClauses(): void {
    for (let count = this.leb(5); count > 0; count--) {
      const kind = this.byte();
      if (kind > 3) this.fail(`unknown catch clause kind ${kind}`, this.position - 1);
      if (kind < 2) this.leb(5);
      this.leb(5);
    }
  }

  private prefixed(prefix: number, start: number, features: CodeFeatures): void {
    const sub = this.leb(5);
    if (prefix === 0xfc) {
      const immediates = miscellaneousImmediates[sub];
      if (immediates === undefined) throw new UnknownInstruction(start, `0xfc ${sub}`);
      if (sub >= 8) features.bulkMemory = true;
      for (let index = 0; index < immediates; index++) this.leb(5);
    } else if (prefix === 0xfd) {
      features.simd = true;
      if (sub <= 11 || sub === 92 || sub === 93) this.memoryArgument();
      else if (sub === 12 || sub === 13) this.skip(16);
      else if (sub >= 21 && sub <= 34) this.skip(1);
      else if (sub >= 84 && sub <= 91) {
        this.memoryArgument();
        this.skip(1);
      } else if (sub > 0x113) throw new UnknownInstruction(start, `0xfd ${sub}`);
    } else {
      features.atomics = true;
      if (sub === 3) this.skip(1);
      else if (sub > 0x4e || (sub > 3 && sub < 0x10)) throw new UnknownInstruction(start, `0xfe ${sub}`);
      else this.memoryArgument();
    }
  }
}
