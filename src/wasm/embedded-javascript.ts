import type { WasmModule } from "./wasm-module.js";

/** JavaScript that Emscripten's loader evaluates when it loads a module. */
export type EmbeddedJavaScript =
  | { kind: "EM_JS"; name: string; signature: string; body: string }
  | { kind: "EM_ASM"; address: number; body: string };

const utf8 = new TextDecoder("utf-8");

/**
 * Extracts `EM_JS` functions and `EM_ASM` snippets as text. The loader (`libdylink.js`) finds
 * them through exported globals: `__em_js__NAME` points at `"(signature)<::>body"`, and
 * `__start_em_asm`..`__stop_em_asm` brackets NUL-separated snippets; addresses are relative to
 * the module's `__memory_base`, so they are looked up in its active data segments.
 *
 * @example
 * for (const js of extractEmbeddedJavaScript(module)) console.log(js.kind, js.body);
 */
export function extractEmbeddedJavaScript(module: WasmModule): EmbeddedJavaScript[] {
  const found: EmbeddedJavaScript[] = [];
  const memory = new DataMemory(module);
  for (const entry of module.exports()) {
    if (entry.kind !== "global" || !entry.name.startsWith("__em_js__")) continue;
    const address = exportedGlobalValue(module, entry.index);
    const text = address === undefined ? undefined : memory.string(address);
    if (text === undefined) continue;
    const separator = text.indexOf("<::>");
    const signature = separator < 0 ? "" : text.slice(0, separator);
    found.push({ kind: "EM_JS", name: entry.name.slice(9), signature, body: separator < 0 ? text : text.slice(separator + 4) });
  }
  const start = exportedGlobalByName(module, "__start_em_asm");
  const stop = exportedGlobalByName(module, "__stop_em_asm");
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

function exportedGlobalByName(module: WasmModule, name: string): number | undefined {
  const entry = module.exports().find((e) => e.kind === "global" && e.name === name);
  return entry ? exportedGlobalValue(module, entry.index) : undefined;
}

/** The constant value of a module-defined global (imported globals come first in the index space). */
export function exportedGlobalValue(module: WasmModule, globalIndex: number): number | undefined {
  const importedGlobals = module.imports().filter((i) => i.kind === "global").length;
  const global = module.globals()[globalIndex - importedGlobals];
  if (!global || !global.init.simple || global.init.global !== undefined) return undefined;
  return global.init.constant;
}

/** Active data segments laid out by their offsets relative to `__memory_base` (or absolute). */
class DataMemory {
  private readonly segments: { start: number; dataOffset: number; size: number }[] = [];

  constructor(private readonly module: WasmModule) {
    const globalImports = module.imports().filter((i) => i.kind === "global");
    const memoryBase = globalImports.findIndex((i) => i.name === "__memory_base");
    for (const segment of module.dataSegments()) {
      const offset = segment.offset;
      if (segment.mode !== "active" || !offset?.simple) continue;
      if (offset.global !== undefined && offset.global !== memoryBase) continue;
      this.segments.push({ start: offset.constant ?? 0, dataOffset: segment.dataOffset, size: segment.size });
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
