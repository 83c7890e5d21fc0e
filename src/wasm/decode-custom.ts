import type { ByteReader } from "./byte-reader.js";

/**
 * The `producers` custom section: languages, tools and SDKs that built the module
 * (https://github.com/WebAssembly/tool-conventions/blob/main/ProducersSection.md).
 * Keys are field names (`language`, `processed-by`, `sdk`); values list `name version`.
 */
export type Producers = Record<string, { name: string; version: string }[]>;

/**
 * @example
 * decodeProducers(reader) // { "processed-by": [{ name: "clang", version: "20.0.0" }] }
 */
export function decodeProducers(reader: ByteReader): Producers {
  const producers: Producers = {};
  reader.vector((r) => {
    const field = r.name();
    producers[field] = r.vector((v) => ({ name: v.name(), version: v.name() }), 2);
  }, 2);
  return producers;
}

/** One entry of the `target_features` custom section: `+simd128`, `-atomics`, `=mutable-globals`. */
export interface TargetFeature {
  prefix: "+" | "-" | "=";
  name: string;
}

/**
 * @example
 * decodeTargetFeatures(reader) // [{ prefix: "+", name: "bulk-memory" }]
 */
export function decodeTargetFeatures(reader: ByteReader): TargetFeature[] {
  return reader.vector((r) => {
    const start = r.offset;
    const prefix = String.fromCharCode(r.u8());
    if (prefix !== "+" && prefix !== "-" && prefix !== "=") return r.fail(`unknown target feature prefix "${prefix}"`, start);
    return { prefix, name: r.name() };
  }, 2);
}
