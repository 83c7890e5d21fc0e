import type { ByteReader } from "./byte-reader.js";
import type { ConstantExpression, FunctionType, GlobalType, Limits, TableType, ValueType } from "./wasm-types.js";

const simpleTypes: Record<number, ValueType> = {
  0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x7b: "v128",
  0x70: "funcref", 0x6f: "externref", 0x69: "exnref", 0x6e: "anyref", 0x6d: "eqref", 0x6c: "i31ref",
  0x6b: "structref", 0x6a: "arrayref", 0x71: "nullref", 0x72: "nullexternref", 0x73: "nullfuncref", 0x74: "nullexnref",
};

/** Reads a heap type (an abstract type byte or a type index) as text. */
export function readHeapType(reader: ByteReader): string {
  const start = reader.offset;
  const value = reader.signed(33);
  if (value >= 0) return String(value);
  const name = simpleTypes[value + 0x80];
  if (!name) reader.fail(`unknown heap type ${value}`, start);
  return name.replace(/ref$/, "");
}

/** Reads one value type (number, vector or reference type). */
export function readValueType(reader: ByteReader): ValueType {
  const start = reader.offset;
  const code = reader.u8();
  const simple = simpleTypes[code];
  if (simple) return simple;
  if (code === 0x63 || code === 0x64) return `(ref ${code === 0x63 ? "null " : ""}${readHeapType(reader)})`;
  return reader.fail(`unknown value type 0x${code.toString(16)}`, start);
}

/**
 * Reads one entry of the type section. Function types are returned; GC struct/array types and
 * recursion groups are skipped over correctly and returned as empty signatures, since linking
 * conventions only need function types.
 */
export function readTypeEntries(reader: ByteReader): FunctionType[] {
  const start = reader.offset;
  const form = reader.u8();
  if (form === 0x4e) return reader.vector(readSubType).flat();
  reader.offset = start;
  return [readSubType(reader)];
}

function readSubType(reader: ByteReader): FunctionType {
  const start = reader.offset;
  const form = reader.u8();
  if (form === 0x50 || form === 0x4f) {
    reader.vector((r) => r.u32());
    return readCompositeType(reader);
  }
  reader.offset = start;
  return readCompositeType(reader);
}

function readCompositeType(reader: ByteReader): FunctionType {
  const start = reader.offset;
  const form = reader.u8();
  if (form === 0x60) return { params: reader.vector(readValueType), results: reader.vector(readValueType) };
  if (form === 0x5f) {
    reader.vector(readFieldType);
    return { params: [], results: [] };
  }
  if (form === 0x5e) {
    readFieldType(reader);
    return { params: [], results: [] };
  }
  return reader.fail(`unknown type form 0x${form.toString(16)}`, start);
}

function readFieldType(reader: ByteReader): void {
  const code = reader.u8();
  if (code !== 0x78 && code !== 0x77) {
    reader.offset--;
    readValueType(reader);
  }
  const mutability = reader.u8();
  if (mutability > 1) reader.fail("field mutability must be 0 or 1", reader.offset - 1);
}

/** Reads memory or table limits, including the threads, memory64 and custom-page-size flags. */
export function readLimits(reader: ByteReader): Limits {
  const start = reader.offset;
  const flags = reader.u8();
  if (flags > 0x0f) reader.fail(`unknown limits flags 0x${flags.toString(16)}`, start);
  const index64 = (flags & 0x04) !== 0;
  const read = () => (index64 ? reader.u64() : reader.u32());
  const limits: Limits = { min: read(), shared: (flags & 0x02) !== 0, index64 };
  if (flags & 0x01) limits.max = read();
  if (flags & 0x08) reader.u32();
  return limits;
}

export function readTableType(reader: ByteReader): TableType {
  const element = readValueType(reader);
  return { element, limits: readLimits(reader) };
}

export function readGlobalType(reader: ByteReader): GlobalType {
  const type = readValueType(reader);
  const start = reader.offset;
  const mutability = reader.u8();
  if (mutability > 1) reader.fail("global mutability must be 0 or 1", start);
  return { type, mutable: mutability === 1 };
}

/**
 * Reads a constant expression up to its `end`, reducing the linker's usual forms to
 * global + constant. Anything else is skipped and marked not simple.
 */
export function readConstantExpression(reader: ByteReader): ConstantExpression {
  const result: ConstantExpression = { simple: true };
  let instructions = 0;
  for (;;) {
    const start = reader.offset;
    const opcode = reader.u8();
    if (opcode === 0x0b) break;
    instructions++;
    if (opcode === 0x41 || opcode === 0x42) {
      const value = reader.signed(opcode === 0x41 ? 32 : 64);
      if (result.constant !== undefined) result.simple = false;
      result.constant = value;
    } else if (opcode === 0x23) {
      if (result.global !== undefined) result.simple = false;
      result.global = reader.u32();
    } else if (opcode === 0x6a || opcode === 0x7c) {
      if (instructions !== 3 || result.global === undefined || result.constant === undefined) result.simple = false;
    } else {
      result.simple = false;
      skipOtherConstant(reader, opcode, start);
    }
  }
  if (instructions === 0) reader.fail("empty constant expression");
  return result;
}

function skipOtherConstant(reader: ByteReader, opcode: number, start: number): void {
  if (opcode === 0x43) reader.skip(4);
  else if (opcode === 0x44) reader.skip(8);
  else if (opcode === 0xd0) readHeapType(reader);
  else if (opcode === 0xd2) reader.u32();
  else if (opcode === 0x6b || opcode === 0x6c || opcode === 0x7d || opcode === 0x7e) return;
  else if (opcode === 0xfd) {
    if (reader.u32() !== 12) reader.fail("only v128.const of the SIMD instructions is constant", start);
    reader.skip(16);
  } else reader.fail(`instruction 0x${opcode.toString(16)} is not allowed in a constant expression`, start);
}
