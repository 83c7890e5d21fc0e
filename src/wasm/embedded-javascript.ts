import type { WasmModule } from "./wasm-module.js";
import type { Export } from "./wasm-types.js";

/** JavaScript that Emscripten's loader evaluates when it loads a module. */
export type EmbeddedJavaScript =
  | { kind: "EM_JS"; name: string; signature: string; body: string }
  | { kind: "EM_ASM"; address: number; body: string };

const utf8 = new TextDecoder("utf-8");

/**
 * Extracts `EM_JS` functions and `EM_ASM` snippets as text. The loader (`libdylink.js`) finds
 * them through exported globals: `__em_js__NAME` points at `"(signature)<::>body"`, and
 * `__start_em_asm`..`__stop_em_asm` brackets NUL-separated snippets; addresses are relative to
 * the module's `__memory_base`, so they are looked up in its data segments: active ones by their
 * offset, passive ones (shared-memory builds) where the module's `memory.init` calls put them.
 *
 * @example
 * for (const js of extractEmbeddedJavaScript(module)) console.log(js.kind, js.body);
 */
export function extractEmbeddedJavaScript(module: WasmModule): EmbeddedJavaScript[] {
  const found: EmbeddedJavaScript[] = [];
  // One pass over the exports (tens of thousands in a large module); most modules export no EM_JS.
  const globals = module.exports().filter((e) => e.kind === "global");
  const emJs = globals.filter((e) => e.name.startsWith("__em_js__"));
  const start = exportedGlobalByName(module, globals, "__start_em_asm");
  const stop = exportedGlobalByName(module, globals, "__stop_em_asm");
  if (emJs.length === 0 && (start === undefined || stop === undefined)) return found;
  const memory = new DataMemory(module);
  for (const entry of emJs) {
    const address = exportedGlobalValue(module, entry.index);
    const text = address === undefined ? undefined : memory.string(address);
    if (text === undefined) continue;
    const separator = text.indexOf("<::>");
    const signature = separator < 0 ? "" : text.slice(0, separator);
    found.push({ kind: "EM_JS", name: entry.name.slice(9), signature, body: separator < 0 ? text : text.slice(separator + 4) });
  }
  if (start !== undefined && stop !== undefined) {
    for (let address = start; address < stop;) {
      const body = memory.string(address);
      if (body === undefined) break;
      found.push({ kind: "EM_ASM", address, body });
      address += new TextEncoder().encode(body).length + 1;
    }
  }
  return found;
}

function exportedGlobalByName(module: WasmModule, globals: readonly Export[], name: string): number | undefined {
  const entry = globals.find((e) => e.name === name);
  return entry ? exportedGlobalValue(module, entry.index) : undefined;
}

/** The constant value of a module-defined global (imported globals come first in the index space). */
export function exportedGlobalValue(module: WasmModule, globalIndex: number): number | undefined {
  const global = module.globals()[globalIndex - module.importCounts().global];
  if (!global || !global.init.simple || global.init.global !== undefined) return undefined;
  return global.init.constant;
}

/** Data segments laid out by their offsets relative to `__memory_base` (or absolute). */
class DataMemory {
  private readonly segments: { start: number; dataOffset: number; size: number }[] = [];

  constructor(private readonly module: WasmModule) {
    const globalImports = module.imports().filter((i) => i.kind === "global");
    const memoryBase = globalImports.findIndex((i) => i.name === "__memory_base");
    const segments = module.dataSegments();
    for (const segment of segments) {
      const offset = segment.offset;
      if (segment.mode !== "active" || !offset?.simple) continue;
      if (offset.global !== undefined && offset.global !== memoryBase) continue;
      this.segments.push({ start: offset.constant ?? 0, dataOffset: segment.dataOffset, size: segment.size });
    }
    if (segments.some((segment) => segment.mode === "passive")) {
      for (const init of findMemoryInits(module, memoryBase)) {
        const segment = segments[init.segment];
        if (segment?.mode !== "passive" || init.sourceOffset + init.size > segment.size) continue;
        this.segments.push({ start: init.address, dataOffset: segment.dataOffset + init.sourceOffset, size: init.size });
      }
    }
  }

  /** The NUL-terminated string at `address`, or undefined when no segment holds it. */
  string(address: number): string | undefined {
    const segment = this.segments.find((s) => address >= s.start && address < s.start + s.size);
    if (!segment) return undefined;
    const bytes = this.module.bytes.subarray(segment.dataOffset + (address - segment.start), segment.dataOffset + segment.size);
    const end = bytes.indexOf(0);
    return utf8.decode(end < 0 ? bytes : bytes.subarray(0, end));
  }
}

/** Where a `memory.init` call copies a passive segment. */
interface MemoryInit {
  segment: number;
  /** Destination, relative to `__memory_base` (or absolute when the module adds no base). */
  address: number;
  sourceOffset: number;
  size: number;
}

/**
 * Finds the `memory.init` calls wasm-ld emits in `__wasm_init_memory` for passive segments:
 * `i32.const DEST [global.get __memory_base i32.add] i32.const SRC i32.const SIZE memory.init SEG 0`
 * (the base may also come first). Only bodies holding the bytes `fc 08` are searched, so modules
 * with passive segments cost one native byte search per body.
 */
function findMemoryInits(module: WasmModule, memoryBase: number): MemoryInit[] {
  const bytes = module.bytes;
  const found: MemoryInit[] = [];
  for (const body of module.functionBodies()) {
    const end = body.offset + body.size;
    let at = bytes.indexOf(0xfc, body.offset);
    while (at >= 0 && at < end && bytes[at + 1] !== 0x08) at = bytes.indexOf(0xfc, at + 1);
    if (at < 0 || at >= end) continue;
    for (let position = body.offset; position < end; position++) {
      const init = matchMemoryInit(bytes, position, memoryBase);
      if (init) found.push(init);
    }
  }
  return found;
}

function matchMemoryInit(bytes: Uint8Array, position: number, memoryBase: number): MemoryInit | undefined {
  let p = position;
  let address: number;
  if (bytes[p] === 0x41) {
    [address, p] = signedLeb(bytes, p + 1);
    if (bytes[p] === 0x23) {
      const [global, next] = unsignedLeb(bytes, p + 1);
      if (global !== memoryBase || bytes[next] !== 0x6a) return undefined;
      p = next + 1;
    }
  } else if (bytes[p] === 0x23) {
    const [global, next] = unsignedLeb(bytes, p + 1);
    if (global !== memoryBase || bytes[next] !== 0x41) return undefined;
    [address, p] = signedLeb(bytes, next + 1);
    if (bytes[p++] !== 0x6a) return undefined;
  } else return undefined;
  if (bytes[p] !== 0x41) return undefined;
  const [sourceOffset, afterSource] = signedLeb(bytes, p + 1);
  if (bytes[afterSource] !== 0x41) return undefined;
  const [size, afterSize] = signedLeb(bytes, afterSource + 1);
  if (bytes[afterSize] !== 0xfc || bytes[afterSize + 1] !== 0x08) return undefined;
  const [segment, afterSegment] = unsignedLeb(bytes, afterSize + 2);
  if (bytes[afterSegment] !== 0x00 || sourceOffset < 0 || size < 0) return undefined;
  return { segment, address, sourceOffset, size };
}

function unsignedLeb(bytes: Uint8Array, p: number): [number, number] {
  let value = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    const byte = bytes[p++] ?? 0;
    value += (byte & 0x7f) * 2 ** shift;
    if (!(byte & 0x80)) break;
  }
  return [value, p];
}

function signedLeb(bytes: Uint8Array, p: number): [number, number] {
  let value = 0;
  let shift = 0;
  let byte: number;
  do {
    byte = bytes[p++] ?? 0;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80 && shift < 35);
  if (byte & 0x40) value -= 2 ** shift;
  return [value | 0, p];
}
