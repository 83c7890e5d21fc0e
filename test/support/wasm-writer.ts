/**
 * A small WebAssembly writer for tests: builds modules section by section so each audit finding
 * and each reader edge case can be produced on purpose (Emscripten side modules with `dylink.0`,
 * imports from `env`/`GOT.mem`/`GOT.func`, tags, shared or 64-bit memories, EM_JS strings…).
 *
 * @example
 * const w = new WasmWriter();
 * const sig = w.type([], ["i32"]);
 * w.dylink({ memorySize: 16 });
 * w.importFunction("env", "PyModule_Create2", sig);
 * const init = w.function(sig, [0x41, 0x00, 0x0b]);
 * w.exportFunction("PyInit_spam", init);
 * const bytes = w.bytes();
 */
export class WasmWriter {
  private types: number[][] = [];
  private imports: number[][] = [];
  private functionTypes: number[] = [];
  private bodies: number[][] = [];
  private memories: number[][] = [];
  private globals: number[][] = [];
  private exports: number[][] = [];
  private tags: number[][] = [];
  private data: number[][] = [];
  private customs: { name: string; payload: number[] }[] = [];
  private dylinkPayload: number[] | undefined;
  private importedFunctions = 0;
  private importedGlobals = 0;

  type(params: string[], results: string[]): number {
    this.types.push([0x60, ...vector(params.map(valueType)), ...vector(results.map(valueType))]);
    return this.types.length - 1;
  }

  importFunction(module: string, name: string, typeIndex: number): number {
    this.imports.push([...text(module), ...text(name), 0x00, ...unsigned(typeIndex)]);
    return this.importedFunctions++;
  }

  importGlobal(module: string, name: string, type = "i32", mutable = false): number {
    this.imports.push([...text(module), ...text(name), 0x03, ...valueType(type), mutable ? 1 : 0]);
    return this.importedGlobals++;
  }

  importMemory(module: string, name: string, limits: LimitsInput = { min: 1 }): void {
    this.imports.push([...text(module), ...text(name), 0x02, ...encodeLimits(limits)]);
  }

  importTable(module: string, name: string, limits: LimitsInput = { min: 0 }): void {
    this.imports.push([...text(module), ...text(name), 0x01, 0x70, ...encodeLimits(limits)]);
  }

  importTag(module: string, name: string, typeIndex: number): void {
    this.imports.push([...text(module), ...text(name), 0x04, 0x00, ...unsigned(typeIndex)]);
  }

  /** Adds a function; `code` is the instruction bytes including the final `end` (0x0b). */
  function(typeIndex: number, code: number[], locals: [number, string][] = []): number {
    this.functionTypes.push(typeIndex);
    this.bodies.push([...vector(locals.map(([count, type]) => [...unsigned(count), ...valueType(type)])), ...code]);
    return this.importedFunctions + this.functionTypes.length - 1;
  }

  memory(limits: LimitsInput): void {
    this.memories.push(encodeLimits(limits));
  }

  /** Adds a global initialised by `init` (instruction bytes without the final `end`). */
  global(type: string, mutable: boolean, init: number[]): number {
    this.globals.push([...valueType(type), mutable ? 1 : 0, ...init, 0x0b]);
    return this.importedGlobals + this.globals.length - 1;
  }

  tag(typeIndex: number): void {
    this.tags.push([0x00, ...unsigned(typeIndex)]);
  }

  exportFunction(name: string, index: number): void {
    this.exports.push([...text(name), 0x00, ...unsigned(index)]);
  }

  exportGlobal(name: string, index: number): void {
    this.exports.push([...text(name), 0x03, ...unsigned(index)]);
  }

  /** An active data segment at `offset` (instruction bytes without `end`). */
  activeData(offset: number[], bytes: Uint8Array | number[]): void {
    this.data.push([0x00, ...offset, 0x0b, ...unsigned(bytes.length), ...bytes]);
  }

  /** A passive data segment (copied by `memory.init`, as shared-memory builds do); returns its index. */
  passiveData(bytes: Uint8Array | number[]): number {
    this.data.push([0x01, ...unsigned(bytes.length), ...bytes]);
    return this.data.length - 1;
  }

  custom(name: string, payload: Uint8Array | number[]): void {
    this.customs.push({ name, payload: [...payload] });
  }

  /** Emits a `dylink.0` section first, as Emscripten side modules must. */
  dylink(info: DylinkInput = {}): void {
    const sub = (type: number, payload: number[]) => [type, ...unsigned(payload.length), ...payload];
    this.dylinkPayload = [
      ...sub(1, [...unsigned(info.memorySize ?? 0), ...unsigned(info.memoryAlignment ?? 0), ...unsigned(info.tableSize ?? 0), ...unsigned(0)]),
      ...(info.needed?.length ? sub(2, vector(info.needed.map(text))) : []),
      ...(info.exportInfo?.length ? sub(3, vector(info.exportInfo.map(([n, f]) => [...text(n), ...unsigned(f)]))) : []),
      ...(info.importInfo?.length ? sub(4, vector(info.importInfo.map(([m, n, f]) => [...text(m), ...text(n), ...unsigned(f)]))) : []),
      ...(info.runtimePaths?.length ? sub(5, vector(info.runtimePaths.map(text))) : []),
    ];
  }

  bytes(options: { dylinkLast?: boolean } = {}): Uint8Array {
    const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    const dylink = this.dylinkPayload ? customSection("dylink.0", this.dylinkPayload) : [];
    if (!options.dylinkLast) out.push(...dylink);
    const add = (id: number, entries: number[][]) => {
      if (entries.length) out.push(...section(id, vector(entries)));
    };
    add(1, this.types);
    add(2, this.imports);
    if (this.functionTypes.length) out.push(...section(3, vector(this.functionTypes.map(unsigned))));
    add(5, this.memories);
    add(13, this.tags);
    add(6, this.globals);
    add(7, this.exports);
    add(10, this.bodies.map((body) => [...unsigned(body.length), ...body]));
    add(11, this.data);
    for (const custom of this.customs) out.push(...customSection(custom.name, custom.payload));
    if (options.dylinkLast) out.push(...dylink);
    return Uint8Array.from(out);
  }
}

export interface LimitsInput {
  min: number;
  max?: number;
  shared?: boolean;
  index64?: boolean;
}

export interface DylinkInput {
  memorySize?: number;
  memoryAlignment?: number;
  tableSize?: number;
  needed?: string[];
  runtimePaths?: string[];
  exportInfo?: [string, number][];
  importInfo?: [string, string, number][];
}

const valueTypes: Record<string, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b, funcref: 0x70, externref: 0x6f };

function valueType(name: string): number[] {
  const code = valueTypes[name];
  if (code === undefined) throw new TypeError(`WasmWriter: unknown value type ${name}`);
  return [code];
}

/** Unsigned LEB128. */
export function unsigned(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

/** Signed LEB128. */
export function signed(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value = Math.floor(value / 128);
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** A length-prefixed UTF-8 name. */
export function text(value: string): number[] {
  const bytes = new TextEncoder().encode(value);
  return [...unsigned(bytes.length), ...bytes];
}

export function vector(entries: number[][]): number[] {
  return [...unsigned(entries.length), ...entries.flat()];
}

export function section(id: number, payload: number[]): number[] {
  return [id, ...unsigned(payload.length), ...payload];
}

export function customSection(name: string, payload: number[]): number[] {
  return section(0, [...text(name), ...payload]);
}

function encodeLimits(limits: LimitsInput): number[] {
  const flags = (limits.max !== undefined ? 1 : 0) | (limits.shared ? 2 : 0) | (limits.index64 ? 4 : 0);
  return [flags, ...unsigned(limits.min), ...(limits.max !== undefined ? unsigned(limits.max) : [])];
}
