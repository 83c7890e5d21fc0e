import { ByteReader } from "./byte-reader.js";
import { decodeProducers, decodeTargetFeatures, type Producers, type TargetFeature } from "./decode-custom.js";
import { decodeDylink0, decodeLegacyDylink, type DylinkInfo } from "./decode-dylink.js";
import {
  decodeCodeSection, decodeDataSection, decodeExportSection, decodeFunctionSection, decodeGlobalSection,
  decodeImportSection, decodeMemorySection, decodeTableSection, decodeTagSection, decodeTypeSection, type FunctionBody,
} from "./decode-sections.js";
import { noCode, scanCode, type CodeFeatures } from "./scan-code.js";
import { scanCodeWithWasm } from "./scan-code-wasm.js";
import type { DataSegment, Export, ExternalKind, FunctionType, Global, Import, Limits, Section, TableType } from "./wasm-types.js";

const sectionNames = ["custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "datacount", "tag"];

/** Options for {@link readWasmModule}. */
export interface ReadWasmOptions {
  /** Names the input in errors: a path or an archive entry. */
  source?: string;
}

/**
 * Walks the sections of a WebAssembly binary and returns a {@link WasmModule} that decodes each
 * section only when asked. Throws a {@link WasmFormatError} (code `invalidWasm`) naming the
 * offset when the header or the section layout is broken.
 *
 * @example
 * const module = readWasmModule(bytes, { source: "_core.cpython-314-wasm32-emscripten.so" });
 * module.imports().filter((i) => i.module === "env");
 */
export function readWasmModule(bytes: Uint8Array, options: ReadWasmOptions = {}): WasmModule {
  return new WasmModule(bytes, options.source ?? "<bytes>");
}

/** True when `bytes` starts with the WebAssembly magic number. */
export function isWasm(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
}

/** A WebAssembly module whose sections are decoded lazily and remembered. */
export class WasmModule {
  readonly bytes: Uint8Array;
  readonly source: string;
  /** Every section in binary order. */
  readonly sections: Section[];
  private readonly cache = new Map<string, unknown>();

  constructor(bytes: Uint8Array, source: string) {
    this.bytes = bytes;
    this.source = source;
    this.sections = walkSections(bytes, source);
  }

  /** The first non-custom section with this id, or the first custom section with this name. */
  section(name: string): Section | undefined {
    return this.sections.find((s) => s.name === name);
  }

  /** A bounded reader over a section's payload. */
  reader(section: Section): ByteReader {
    return new ByteReader(this.bytes, { source: this.source, start: section.offset, end: section.offset + section.size });
  }

  /** The raw payload of a section. */
  payload(section: Section): Uint8Array {
    return this.bytes.subarray(section.offset, section.offset + section.size);
  }

  private decode<T>(name: string, empty: T, decoder: (reader: ByteReader) => T, exact = true): T {
    if (this.cache.has(name)) return this.cache.get(name) as T;
    const section = this.section(name);
    let value = empty;
    if (section) {
      const reader = this.reader(section);
      value = decoder(reader);
      if (exact) reader.expectEnd(`${name} section`);
    }
    this.cache.set(name, value);
    return value;
  }

  types(): FunctionType[] { return this.decode("type", [], decodeTypeSection); }
  imports(): Import[] { return this.decode("import", [], decodeImportSection); }
  /** Type indices of the module-defined functions (function section). */
  functions(): number[] { return this.decode("function", [], decodeFunctionSection); }
  tables(): TableType[] { return this.decode("table", [], decodeTableSection); }
  memories(): Limits[] { return this.decode("memory", [], decodeMemorySection); }
  globals(): Global[] { return this.decode("global", [], decodeGlobalSection); }
  exports(): Export[] { return this.decode("export", [], decodeExportSection); }
  tags(): number[] { return this.decode("tag", [], decodeTagSection); }
  dataSegments(): DataSegment[] { return this.decode("data", [], decodeDataSection); }
  functionBodies(): FunctionBody[] { return this.decode("code", [], decodeCodeSection); }

  /** Custom sections, optionally only those with the given name. */
  customSections(name?: string): Section[] {
    return this.sections.filter((s) => s.custom && (name === undefined || s.name === name));
  }

  /** The dynamic-linking metadata (`dylink.0`, else legacy `dylink`), or undefined for a module without it. */
  dylink(): DylinkInfo | undefined {
    const current = this.section("dylink.0");
    if (current) return this.decode("dylink.0", undefined, decodeDylink0);
    return this.decode("dylink", undefined, decodeLegacyDylink, false);
  }

  producers(): Producers | undefined { return this.decode("producers", undefined, decodeProducers); }
  targetFeatures(): TargetFeature[] | undefined { return this.decode("target_features", undefined, decodeTargetFeatures); }

  /** Decodes every function body once, in one pass, and reports which instruction families it uses. */
  codeFeatures(): CodeFeatures {
    const cached = this.cache.get("#code-features") as CodeFeatures | undefined;
    if (cached) return cached;
    const code = this.section("code");
    // The WebAssembly scan is the fast path; the JavaScript one decides whatever it gives up on.
    const features = code ? (scanCodeWithWasm(this.bytes, code) ?? scanCode(this.bytes, code, this.source)) : noCode();
    this.cache.set("#code-features", features);
    return features;
  }

  /** How many imports of each kind come before the module's own entries in each index space. */
  importCounts(): Readonly<Record<ExternalKind, number>> {
    const cached = this.cache.get("#import-counts") as Record<ExternalKind, number> | undefined;
    if (cached) return cached;
    const counts: Record<ExternalKind, number> = { function: 0, table: 0, memory: 0, global: 0, tag: 0 };
    for (const entry of this.imports()) counts[entry.kind]++;
    this.cache.set("#import-counts", counts);
    return counts;
  }

  /** The signature of a function by its index in the function index space (imports first). */
  functionType(index: number): FunctionType | undefined {
    const importedFunctions = this.importCounts().function;
    let typeIndex: number | undefined;
    if (index < importedFunctions) {
      const imported = this.imports().filter((i) => i.kind === "function");
      typeIndex = (imported[index] as { typeIndex: number }).typeIndex;
    } else typeIndex = this.functions()[index - importedFunctions];
    return typeIndex === undefined ? undefined : this.types()[typeIndex];
  }

  /** The signature of a tag or function import (`typeIndex` in the type section). */
  typeAt(typeIndex: number): FunctionType | undefined {
    return this.types()[typeIndex];
  }
}

function walkSections(bytes: Uint8Array, source: string): Section[] {
  const reader = new ByteReader(bytes, { source });
  if (!isWasm(bytes)) reader.fail("missing the \\0asm magic number", 0);
  reader.skip(4);
  const version = reader.take(4);
  if (version[0] === 0x0d && version[2] === 0x01) reader.fail("this is a WebAssembly component, not a core module", 4);
  if (version[0] !== 1 || version[1] !== 0 || version[2] !== 0 || version[3] !== 0) reader.fail("unsupported binary version", 4);
  const sections: Section[] = [];
  const seen = new Set<number>();
  while (reader.remaining > 0) {
    const start = reader.offset;
    const id = reader.u8();
    const size = reader.u32();
    if (size > reader.remaining) reader.fail(`section ${id} of ${size} bytes runs past the end of the module (${reader.remaining} bytes left)`, start);
    const known = sectionNames[id] ?? reader.fail(`unknown section id ${id}`, start);
    if (id !== 0 && seen.has(id)) reader.fail(`${known} section appears twice`, start);
    seen.add(id);
    const payload = reader.slice(size);
    const name = id === 0 ? payload.name() : known;
    sections.push({ id, name, custom: id === 0, start, offset: payload.offset, size: size - (payload.offset - reader.offset) });
    reader.skip(size);
  }
  return sections;
}
