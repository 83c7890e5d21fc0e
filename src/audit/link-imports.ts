import { symbolFlags, type Import, type WasmModule } from "../wasm/index.js";
import type { RuntimeManifest } from "./runtime-manifest.js";

/** Who satisfies an import when the loader links a side module. */
export type ImportSource = "runtime" | "javascript" | "wheel" | "loader" | "weak";

/** An import nothing satisfies. */
export interface UnresolvedImport {
  module: string;
  name: string;
  kind: Import["kind"];
}

/** Symbols the other modules of the same wheel export, by kind, with the path exporting each. */
export interface WheelSymbols {
  functions: Map<string, string>;
  globals: Map<string, string>;
}

/** The outcome of linking one module's imports against a runtime and its wheel. */
export interface ImportLinking {
  total: number;
  byNamespace: Record<string, number>;
  resolved: Partial<Record<ImportSource, number>>;
  unresolved: UnresolvedImport[];
}

// Names Emscripten's loader answers itself (libdylink.js: the proxy's `__memory_base` and
// `__table_base`, and the shared memory and table every side module imports).
const loaderNames: Record<string, string[]> = {
  global: ["__memory_base", "__table_base"],
  memory: ["memory"],
  table: ["__indirect_function_table"],
};

/**
 * Resolves every import of a side module the way Emscripten's `loadWebAssemblyModule` does:
 * `env` and `wasi_snapshot_preview1` against the runtime's symbols (main-module exports merged
 * with the JavaScript library), then the wheel's own libraries, then the loader's on-demand
 * prefixes; `GOT.mem`/`GOT.func` against exported data and functions, weak ones may stay
 * undefined. Any other namespace cannot be satisfied.
 *
 * @example
 * const linking = linkImports(module, manifest, wheelSymbols);
 * linking.unresolved; // [{ module: "env", name: "PyFoo_New", kind: "function" }]
 */
export function linkImports(module: WasmModule, manifest: RuntimeManifest, wheel: WheelSymbols): ImportLinking {
  const runtime = runtimeSets(manifest);
  const weak = new Set((module.dylink()?.importInfo ?? []).filter((i) => (i.flags & 3) === symbolFlags.weak).map((i) => i.name));
  const imports = module.imports();
  // Counted in Maps (keys in order of first appearance, as the report lists them): a keyed
  // store on a plain object per import is slow while this loop still runs in the interpreter.
  // Namespaces come in long runs (`env` tens of thousands of times): each run is added at once.
  const byNamespace = new Map<string, number>();
  const resolved = new Map<ImportSource, number>();
  const unresolved: UnresolvedImport[] = [];
  let namespace = imports[0]?.module ?? "";
  let run = 0;
  for (let index = 0; index < imports.length; index++) {
    const entry = imports[index]!;
    if (entry.module !== namespace) {
      byNamespace.set(namespace, (byNamespace.get(namespace) ?? 0) + run);
      namespace = entry.module;
      run = 0;
    }
    run++;
    const source = resolve(entry, runtime, wheel, manifest) ?? (weak.has(entry.name) ? "weak" : undefined);
    if (source) resolved.set(source, (resolved.get(source) ?? 0) + 1);
    else unresolved.push({ module: entry.module, name: entry.name, kind: entry.kind });
  }
  if (run > 0) byNamespace.set(namespace, (byNamespace.get(namespace) ?? 0) + run);
  return { total: imports.length, byNamespace: Object.fromEntries(byNamespace), resolved: Object.fromEntries(resolved), unresolved };
}

interface RuntimeSets {
  functions: Set<string>;
  javascript: Set<string>;
  data: Set<string>;
  globals: Set<string>;
  tags: Set<string>;
}

const setsCache = new WeakMap<RuntimeManifest, RuntimeSets>();

// Sets built by their constructor (a native loop: a few milliseconds for Pyodide's 11 000 names,
// where a JavaScript loop still in the interpreter takes several times longer).
function runtimeSets(manifest: RuntimeManifest): RuntimeSets {
  let sets = setsCache.get(manifest);
  if (!sets) {
    sets = {
      functions: new Set(manifest.functions), javascript: new Set(manifest.javascript), data: new Set(manifest.data),
      globals: new Set(manifest.globals), tags: new Set(manifest.tags),
    };
    setsCache.set(manifest, sets);
  }
  return sets;
}

function resolve(entry: Import, runtime: RuntimeSets, wheel: WheelSymbols, manifest: RuntimeManifest): ImportSource | undefined {
  const { name } = entry;
  if (entry.module === "GOT.mem") return runtime.data.has(name) ? "runtime" : wheel.globals.has(name) ? "wheel" : undefined;
  if (entry.module === "GOT.func") {
    if (runtime.functions.has(name)) return runtime.javascript.has(name) ? "javascript" : "runtime";
    return wheel.functions.has(name) ? "wheel" : undefined;
  }
  if (entry.module !== "env" && entry.module !== "wasi_snapshot_preview1") return undefined;
  if (loaderNames[entry.kind]?.includes(name)) return "loader";
  switch (entry.kind) {
    case "function":
      if (runtime.functions.has(name)) return runtime.javascript.has(name) ? "javascript" : "runtime";
      if (wheel.functions.has(name)) return "wheel";
      return manifest.dynamicPrefixes.some((prefix) => name.startsWith(prefix)) ? "loader" : undefined;
    case "global":
      if (runtime.globals.has(name)) return "javascript";
      return runtime.data.has(name) ? "runtime" : wheel.globals.has(name) ? "wheel" : undefined;
    case "tag":
      return runtime.tags.has(name) ? "runtime" : undefined;
    default:
      return undefined;
  }
}

/**
 * Collects what each module of a wheel exports, so sibling modules can link against it.
 *
 * @example
 * const symbols = collectWheelSymbols([["pkg/libfoo.so", module]]);
 */
export function collectWheelSymbols(modules: readonly [string, WasmModule][]): WheelSymbols {
  const symbols: WheelSymbols = { functions: new Map(), globals: new Map() };
  // Last module first, so the first module exporting a name sets it last and wins, with one map
  // operation per export (a name a module exports twice maps to that module's path either way).
  for (let index = modules.length - 1; index >= 0; index--) {
    const [path, module] = modules[index]!;
    const exports = module.exports();
    for (let position = 0; position < exports.length; position++) {
      const entry = exports[position]!;
      if (entry.kind === "function") symbols.functions.set(entry.name, path);
      else if (entry.kind === "global") symbols.globals.set(entry.name, path);
    }
  }
  return symbols;
}
