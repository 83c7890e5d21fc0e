import type { ByteReader } from "./byte-reader.js";
import { readConstantExpression, readGlobalType, readLimits, readTableType, readTypeEntries } from "./read-types.js";
import type { DataSegment, Export, ExternalKind, FunctionType, Global, Import, Limits, TableType } from "./wasm-types.js";

const kinds: ExternalKind[] = ["function", "table", "memory", "global", "tag"];

function readKind(reader: ByteReader): ExternalKind {
  const start = reader.offset;
  const kind = kinds[reader.u8()];
  return kind ?? reader.fail("unknown import/export kind", start);
}

/** The type section: every function type, in index order. */
export function decodeTypeSection(reader: ByteReader): FunctionType[] {
  return reader.vector(readTypeEntries).flat();
}

/**
 * A module name equal to the previous import's is not decoded again: imports come in long runs of
 * `env` (tens of thousands in a large module), so this saves a string and a decode for each.
 */
function moduleName(reader: ByteReader, previous: { start: number; end: number; text: string }): string {
  const start = reader.offset;
  const { bytes } = reader;
  const size = bytes[start]!;
  // One-byte length (the common case): compare the bytes with the previous name's.
  if (size < 0x80 && previous.end - previous.start === size + 1 && start + 1 + size <= reader.end) {
    let same = true;
    for (let index = 0; index <= size && same; index++) same = bytes[start + index] === bytes[previous.start + index];
    if (same) {
      reader.skip(size + 1);
      return previous.text;
    }
  }
  const text = reader.name();
  previous.start = start;
  previous.end = reader.offset;
  previous.text = text;
  return text;
}

/** The import section. */
export function decodeImportSection(reader: ByteReader): Import[] {
  const previous = { start: 0, end: 0, text: "" };
  return reader.vector((r): Import => {
    const module = moduleName(r, previous);
    const name = r.name();
    const kind = readKind(r);
    switch (kind) {
      case "function":
        return { module, name, kind, typeIndex: r.u32() };
      case "table":
        return { module, name, kind, table: readTableType(r) };
      case "memory":
        return { module, name, kind, limits: readLimits(r) };
      case "global":
        return { module, name, kind, global: readGlobalType(r) };
      case "tag":
        return { module, name, kind, typeIndex: readTagType(r) };
    }
  }, 4);
}

function readTagType(reader: ByteReader): number {
  const start = reader.offset;
  if (reader.u8() !== 0) reader.fail("tag attribute must be 0 (exception)", start);
  return reader.u32();
}

/** The function section: the type index of each module-defined function. */
export function decodeFunctionSection(reader: ByteReader): number[] {
  return reader.vector((r) => r.u32());
}

/** The table section. */
export function decodeTableSection(reader: ByteReader): TableType[] {
  return reader.vector((r) => {
    if (r.bytes[r.offset] === 0x40) {
      r.skip(1);
      const start = r.offset;
      if (r.u8() !== 0) r.fail("reserved byte after 0x40 in a table must be 0", start);
      const table = readTableType(r);
      readConstantExpression(r);
      return table;
    }
    return readTableType(r);
  }, 2);
}

/** The memory section. */
export function decodeMemorySection(reader: ByteReader): Limits[] {
  return reader.vector(readLimits, 2);
}

/** The global section. */
export function decodeGlobalSection(reader: ByteReader): Global[] {
  return reader.vector((r) => ({ ...readGlobalType(r), init: readConstantExpression(r) }), 3);
}

/** The export section. */
export function decodeExportSection(reader: ByteReader): Export[] {
  return reader.vector((r) => ({ name: r.name(), kind: readKind(r), index: r.u32() }), 3);
}

/** The tag section (exception handling): the type index of each module-defined tag. */
export function decodeTagSection(reader: ByteReader): number[] {
  return reader.vector(readTagType, 2);
}

/** The data section; segment bytes stay in the binary, located by offset and size. */
export function decodeDataSection(reader: ByteReader): DataSegment[] {
  return reader.vector((r): DataSegment => {
    const start = r.offset;
    const flags = r.u32();
    if (flags > 2) r.fail(`unknown data segment flags ${flags}`, start);
    const memory = flags === 2 ? r.u32() : 0;
    const offset = flags === 1 ? undefined : readConstantExpression(r);
    const size = r.u32();
    const dataOffset = r.offset;
    r.skip(size);
    return { mode: flags === 1 ? "passive" : "active", memory, ...(offset ? { offset } : {}), dataOffset, size };
  }, 2);
}

/** Where one function body lies in the binary. */
export interface FunctionBody {
  offset: number;
  size: number;
}

/** The code section, as body locations; bodies are decoded only by a scan that needs them. */
export function decodeCodeSection(reader: ByteReader): FunctionBody[] {
  return reader.vector((r) => {
    const size = r.u32();
    const offset = r.offset;
    r.skip(size);
    return { offset, size };
  }, 1);
}
