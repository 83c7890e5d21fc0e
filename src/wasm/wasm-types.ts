/**
 * The parts of a WebAssembly module kiln decodes, as plain data
 * (https://webassembly.github.io/spec/core/binary/modules.html).
 */

/** A value type in text form: `i32`, `i64`, `f32`, `f64`, `v128`, `funcref`, `externref`, `(ref null 3)`… */
export type ValueType = string;

/** A function signature from the type section. */
export interface FunctionType {
  params: ValueType[];
  results: ValueType[];
}

/** Minimum and maximum size of a memory (in pages) or table (in elements), and memory flags. */
export interface Limits {
  min: number;
  max?: number;
  /** Shared memory (threads). */
  shared: boolean;
  /** 64-bit addressing (memory64 / table64). */
  index64: boolean;
}

export interface TableType {
  element: ValueType;
  limits: Limits;
}

export interface GlobalType {
  type: ValueType;
  mutable: boolean;
}

/**
 * A constant expression reduced to what linking conventions use: an optional global plus a
 * constant (`i32.const c`, `global.get g`, or `global.get g; i32.const c; i32.add`).
 * `undefined` fields mean the expression was something else (still skipped correctly).
 */
export interface ConstantExpression {
  global?: number;
  constant?: number;
  /** False when the expression used other instructions; then `global`/`constant` are not meaningful. */
  simple: boolean;
}

/** The kinds of things a module imports or exports. */
export type ExternalKind = "function" | "table" | "memory" | "global" | "tag";

/** One entry of the import section. */
export type Import =
  | { module: string; name: string; kind: "function"; typeIndex: number }
  | { module: string; name: string; kind: "table"; table: TableType }
  | { module: string; name: string; kind: "memory"; limits: Limits }
  | { module: string; name: string; kind: "global"; global: GlobalType }
  | { module: string; name: string; kind: "tag"; typeIndex: number };

/** One entry of the export section. */
export interface Export {
  name: string;
  kind: ExternalKind;
  index: number;
}

/** A module-defined global. */
export interface Global extends GlobalType {
  init: ConstantExpression;
}

/** A data segment; `dataOffset`/`size` locate its bytes in the binary. */
export interface DataSegment {
  mode: "active" | "passive";
  memory: number;
  /** Where an active segment goes in memory. */
  offset?: ConstantExpression;
  dataOffset: number;
  size: number;
}

/** One section as found by the section walk; `offset`/`size` locate its payload. */
export interface Section {
  id: number;
  /** The section's name: `type`, `import`, …, or the custom section's own name. */
  name: string;
  /** True for custom sections (id 0). */
  custom: boolean;
  /** Offset of the section's id byte. */
  start: number;
  /** Offset of the payload (after the name, for custom sections). */
  offset: number;
  size: number;
}
