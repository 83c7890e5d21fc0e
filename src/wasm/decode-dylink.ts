import type { ByteReader } from "./byte-reader.js";

/** Symbol flags used in `dylink.0` export/import info (LLVM's `WASM_SYMBOL_*`). */
export const symbolFlags = { weak: 0x1, local: 0x2, hidden: 0x4, undefined: 0x10, exported: 0x20, explicitName: 0x40, noStrip: 0x80, tls: 0x100 } as const;

/**
 * Emscripten dynamic-linking metadata: the `dylink.0` custom section (or the legacy `dylink`).
 * See https://github.com/WebAssembly/tool-conventions/blob/main/DynamicLinking.md.
 */
export interface DylinkInfo {
  /** `dylink.0` (current) or `dylink` (before Emscripten 2.0.x). */
  format: "dylink.0" | "dylink";
  memorySize: number;
  /** log2 of the memory alignment. */
  memoryAlignment: number;
  tableSize: number;
  tableAlignment: number;
  /** Libraries this module needs loaded first (`DT_NEEDED`). */
  needed: string[];
  /** Search path for `needed` (`$ORIGIN` is the module's own directory). */
  runtimePaths: string[];
  /** Extra flags of exported symbols (TLS, weak). */
  exportInfo: { name: string; flags: number }[];
  /** Extra flags of imported symbols (weak imports may stay undefined). */
  importInfo: { module: string; name: string; flags: number }[];
}

function emptyInfo(format: DylinkInfo["format"]): DylinkInfo {
  return { format, memorySize: 0, memoryAlignment: 0, tableSize: 0, tableAlignment: 0, needed: [], runtimePaths: [], exportInfo: [], importInfo: [] };
}

function readMemoryInfo(reader: ByteReader, info: DylinkInfo): void {
  info.memorySize = reader.u32();
  info.memoryAlignment = reader.u32();
  info.tableSize = reader.u32();
  info.tableAlignment = reader.u32();
}

/**
 * Decodes the payload of a `dylink.0` section: a sequence of typed subsections. Unknown
 * subsection types are skipped, as the convention requires.
 *
 * @example
 * const info = decodeDylink0(new ByteReader(bytes, { source, start: section.offset, end: section.offset + section.size }));
 */
export function decodeDylink0(reader: ByteReader): DylinkInfo {
  const info = emptyInfo("dylink.0");
  while (reader.remaining > 0) {
    const type = reader.u8();
    const size = reader.u32();
    const sub = reader.slice(size);
    reader.skip(size);
    if (type === 1) readMemoryInfo(sub, info);
    else if (type === 2) info.needed = sub.vector((r) => r.name());
    else if (type === 3) info.exportInfo = sub.vector((r) => ({ name: r.name(), flags: r.u32() }), 2);
    else if (type === 4) info.importInfo = sub.vector((r) => ({ module: r.name(), name: r.name(), flags: r.u32() }), 3);
    else if (type === 5) info.runtimePaths = sub.vector((r) => r.name());
    else continue;
    sub.expectEnd(`dylink.0 subsection ${type}`);
  }
  return info;
}

/**
 * Decodes the legacy `dylink` section: memory/table info then the needed libraries.
 *
 * @example
 * const info = decodeLegacyDylink(reader);
 */
export function decodeLegacyDylink(reader: ByteReader): DylinkInfo {
  const info = emptyInfo("dylink");
  readMemoryInfo(reader, info);
  info.needed = reader.vector((r) => r.name());
  return info;
}
