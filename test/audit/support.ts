import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { auditTarget, computeRuntimeManifest, moduleTarget, openWheelTarget, type AuditReport, type RuntimeManifest } from "../../src/audit/index.js";
import { buildWheel, type BuildWheelOptions } from "../support/wheel-builder.js";
import { WasmWriter } from "../support/wasm-writer.js";

const pyodide = dirname(createRequire(import.meta.url).resolve("pyodide/package.json"));
let manifest: Promise<RuntimeManifest> | undefined;

/** The manifest of the bundled Pyodide, computed once per test process. */
export function bundledManifest(): Promise<RuntimeManifest> {
  manifest ??= computeRuntimeManifest({
    name: "pyodide",
    version: JSON.parse(readFileSync(join(pyodide, "package.json"), "utf8")).version,
    mainModule: readFileSync(join(pyodide, "pyodide.asm.wasm")),
    loader: readFileSync(join(pyodide, "pyodide.asm.mjs"), "utf8"),
    lock: JSON.parse(readFileSync(join(pyodide, "pyodide-lock.json"), "utf8")),
  });
  return manifest;
}

/** Audits a wheel built from files (see buildWheel) against the bundled Pyodide or a given manifest. */
export async function auditWheel(filename: string, files: Record<string, string | Uint8Array>, options: BuildWheelOptions & { manifest?: RuntimeManifest } = {}): Promise<AuditReport> {
  const bytes = buildWheel(filename, files, options);
  return auditTarget(await openWheelTarget(filename, bytes), { manifest: options.manifest ?? (await bundledManifest()) });
}

/** Audits one module given as bytes. */
export async function auditModule(name: string, bytes: Uint8Array, manifestOverride?: RuntimeManifest): Promise<AuditReport> {
  return auditTarget(moduleTarget(name, bytes), { manifest: manifestOverride ?? (await bundledManifest()) });
}

/** What to put in a synthetic side module. */
export interface ExtensionSpec {
  name?: string;
  functions?: string[];
  data?: string[];
  functionPointers?: string[];
  tags?: string[];
  needed?: string[];
  runtimePaths?: string[];
  weak?: string[];
  exportInit?: boolean;
  memory?: { shared?: boolean; index64?: boolean };
  code?: number[];
  dylink?: "first" | "last" | "none";
  /** Extra exports (`__em_js__*` globals are set up by `emJs`). */
  emJs?: { name: string; text: string };
}

/**
 * A synthetic Emscripten side module shaped like a real extension module: dylink.0 first,
 * env memory/table/__memory_base, and the imports asked for.
 */
export function extensionModule(spec: ExtensionSpec = {}): Uint8Array {
  const w = new WasmWriter();
  const init = w.type([], ["i32"]);
  const tagType = w.type(["i32"], []);
  if (spec.dylink !== "none") {
    w.dylink({ memorySize: 16, needed: spec.needed ?? [], runtimePaths: spec.runtimePaths ?? [], importInfo: (spec.weak ?? []).map((n) => ["GOT.mem", n, 1] as [string, string, number]) });
  }
  w.importMemory("env", "memory", { min: 1, ...spec.memory });
  w.importTable("env", "__indirect_function_table", { min: 0 });
  const memoryBase = w.importGlobal("env", "__memory_base");
  for (const name of spec.functions ?? ["PyModule_Create2"]) w.importFunction("env", name, init);
  for (const name of spec.data ?? []) w.importGlobal("GOT.mem", name, "i32", true);
  for (const name of spec.functionPointers ?? []) w.importGlobal("GOT.func", name, "i32", true);
  for (const name of spec.tags ?? []) w.importTag("env", name, tagType);
  if (spec.emJs) {
    w.activeData([0x23, memoryBase], new TextEncoder().encode(`${spec.emJs.text}\0`));
    w.exportGlobal(`__em_js__${spec.emJs.name}`, w.global("i32", false, [0x41, 0x00]));
  }
  const body = w.function(init, [...(spec.code ?? []), 0x41, 0x00, 0x0b]);
  if (spec.exportInit !== false) w.exportFunction(`PyInit_${spec.name ?? "spam"}`, body);
  return w.bytes({ dylinkLast: spec.dylink === "last" });
}
