import { extractEmbeddedJavaScript, readWasmModule, WasmFormatError, type EmbeddedJavaScript, type Producers, type WasmModule } from "../wasm/index.js";
import { capabilityTitles, classifyImport, type Capability } from "./capabilities.js";
import { checkAbi } from "./check-abi.js";
import { checkModuleShape, type ModuleShape, type PythonTarget } from "./check-module-shape.js";
import { checkNeeded, type NeededResolution } from "./check-needed.js";
import type { Finding } from "./finding.js";
import { linkImports, type ImportLinking, type UnresolvedImport, type WheelSymbols } from "./link-imports.js";
import { moduleFeatures, type ModuleFeatures } from "./module-features.js";
import type { RuntimeManifest } from "./runtime-manifest.js";

/** Everything the audit learned about one WebAssembly module. */
export interface ModuleReport extends ModuleShape {
  path: string;
  size: number;
  sha256: string;
  dylink?: { format: string; memorySize: number; tableSize: number; needed: NeededResolution[]; runtimePaths: string[] };
  imports: ImportLinking;
  exports: number;
  features: ModuleFeatures;
  capabilities: Partial<Record<Capability, string[]>>;
  embeddedJavaScript: EmbeddedJavaScript[];
  producers?: Producers;
  customSections: { name: string; size: number }[];
}

/** What analysing one module needs to know about its surroundings. */
export interface ModuleContext {
  path: string;
  module: WasmModule;
  sha256: string;
  manifest: RuntimeManifest;
  wheelSymbols: WheelSymbols;
  paths: ReadonlySet<string>;
  target: PythonTarget;
  runtimePython?: readonly [number, number];
}

/**
 * Parses a module's bytes for the audit; a broken binary becomes an error finding (the loader
 * would refuse it) instead of an exception.
 *
 * @example
 * const parsed = parseModule("pkg/_core.so", bytes);
 * if ("finding" in parsed) findings.push(parsed.finding);
 */
export function parseModule(path: string, bytes: Uint8Array): { module: WasmModule } | { finding: Finding } {
  try {
    const module = readWasmModule(bytes, { source: path });
    // Decode everything the checks read now, so a broken section is one finding here.
    module.types();
    module.imports();
    module.functions();
    module.globals();
    module.exports();
    module.dataSegments();
    module.dylink();
    module.codeFeatures();
    return { module };
  } catch (error) {
    if (!(error instanceof WasmFormatError)) throw error;
    return { finding: { code: "unreadableModule", check: "modules", severity: "error", effect: "load", file: path, message: error.message, evidence: { offset: error.offset } } };
  }
}

/**
 * Runs checks 3 to 7 on one module and gathers its report: shape, NEEDED, linking, ABI and
 * capabilities (with embedded JavaScript as text).
 *
 * @example
 * const { report, findings } = analyzeModule(context);
 */
export function analyzeModule(context: ModuleContext): { report: ModuleReport; findings: Finding[] } {
  const { path, module, manifest } = context;
  const { shape, findings } = checkModuleShape({ path, module, target: context.target, ...(context.runtimePython ? { runtimePython: context.runtimePython } : {}) });
  const dylink = module.dylink();
  const needed = dylink ? checkNeeded({ path, dylink, paths: context.paths, manifest }) : { needed: [], findings: [] };
  findings.push(...needed.findings);
  const linking = linkImports(module, manifest, context.wheelSymbols);
  findings.push(...linkingFindings(path, linking.unresolved, manifest));
  const features = moduleFeatures(module);
  findings.push(...checkAbi(path, features, manifest));
  const embeddedJavaScript = safeEmbeddedJavaScript(module);
  const capabilities = classifyCapabilities(module, embeddedJavaScript);
  findings.push(...capabilityFindings(path, capabilities, embeddedJavaScript));
  const producers = module.customSections("producers").length ? safeProducers(module) : undefined;
  const report: ModuleReport = {
    path, size: module.bytes.length, sha256: context.sha256, ...shape,
    ...(dylink ? { dylink: { format: dylink.format, memorySize: dylink.memorySize, tableSize: dylink.tableSize, needed: needed.needed, runtimePaths: dylink.runtimePaths } } : {}),
    imports: linking,
    exports: module.exports().length,
    features, capabilities, embeddedJavaScript,
    ...(producers ? { producers } : {}),
    customSections: module.customSections().map((s) => ({ name: s.name, size: s.size })),
  };
  return { report, findings };
}

// Unwinding helpers and tags are explained once by the ABI check instead.
const explainedByAbi = (name: string) => name === "__cpp_exception" || name === "__c_longjmp" || name.startsWith("invoke_") || name.startsWith("__cxa_find_matching_catch_");

function linkingFindings(path: string, unresolved: UnresolvedImport[], manifest: RuntimeManifest): Finding[] {
  const target = `${manifest.name} ${manifest.version}`;
  const relevant = unresolved.filter((u) => !explainedByAbi(u.name));
  const functions = relevant.filter((u) => u.kind === "function" && (u.module === "env" || u.module === "wasi_snapshot_preview1"));
  const others = relevant.filter((u) => !functions.includes(u));
  const findings: Finding[] = [];
  if (others.length) {
    findings.push({
      code: "unresolvedSymbols", check: "imports", file: path, severity: "error", effect: "load",
      message: `${others.length} import(s) that must exist at load time are not provided by ${target} or the wheel`,
      evidence: others.map((u) => `${u.module}.${u.name} (${u.kind})`),
    });
  }
  if (functions.length) {
    findings.push({
      code: "unresolvedFunctions", check: "imports", file: path, severity: "error", effect: "call",
      message: `${functions.length} imported function(s) are not provided by ${target} or the wheel; the module loads, but calling one fails with "Dynamic linking error"`,
      evidence: functions.map((u) => u.name),
    });
  }
  return findings;
}

function classifyCapabilities(module: WasmModule, embedded: EmbeddedJavaScript[]): Partial<Record<Capability, string[]>> {
  const found: Partial<Record<Capability, string[]>> = {};
  const imports = module.imports();
  for (let index = 0; index < imports.length; index++) {
    const entry = imports[index]!;
    if (entry.kind !== "function" && entry.module !== "GOT.func") continue;
    const capability = classifyImport(entry.name);
    if (capability) (found[capability] ??= []).push(entry.name);
  }
  if (embedded.length) (found.javascript ??= []).push(...embedded.map((js) => (js.kind === "EM_JS" ? `EM_JS ${js.name}` : `EM_ASM @${js.address}`)));
  for (const list of Object.values(found)) list.sort();
  return found;
}

function capabilityFindings(path: string, capabilities: Partial<Record<Capability, string[]>>, embedded: EmbeddedJavaScript[]): Finding[] {
  const findings: Finding[] = (Object.entries(capabilities) as [Capability, string[]][]).map(([capability, symbols]) => ({
    code: `capability.${capability}`, check: "capabilities", file: path, severity: "info",
    message: `Can reach ${capabilityTitles[capability]} through ${symbols.length} import(s)`, evidence: symbols,
  }));
  if (embedded.length) {
    findings.push({
      code: "embeddedJavaScript", check: "capabilities", file: path, severity: "info",
      message: `Carries ${embedded.length} piece(s) of JavaScript (EM_JS/EM_ASM) that the loader evaluates`,
      evidence: embedded,
    });
  }
  return findings;
}

function safeEmbeddedJavaScript(module: WasmModule): EmbeddedJavaScript[] {
  try {
    return extractEmbeddedJavaScript(module);
  } catch (error) {
    if (error instanceof WasmFormatError) return [];
    throw error;
  }
}

function safeProducers(module: WasmModule): Producers | undefined {
  try {
    return module.producers();
  } catch (error) {
    if (error instanceof WasmFormatError) return undefined;
    throw error;
  }
}
