import { isKilnError, silentReporter, type Reporter } from "../core/index.js";
import { parseWheelFile } from "../archive/index.js";
import { formatTag } from "../tags/index.js";
import type { WasmModule } from "../wasm/index.js";
import { analyzeModule, parseModule, type ModuleReport } from "./analyze-module.js";
import { isModulePath, type AuditFile, type AuditTarget } from "./audit-target.js";
import { checkRecord } from "./check-record.js";
import { checkWheelLayout } from "./check-wheel-layout.js";
import { checkWheelName, pythonOf, type WheelName } from "./check-wheel-name.js";
import type { PythonTarget } from "./check-module-shape.js";
import { sortFindings, type Finding, type Severity } from "./finding.js";
import { collectWheelSymbols } from "./link-imports.js";
import { sha256Hex, type RuntimeFeatures, type RuntimeManifest } from "./runtime-manifest.js";

/** The outcome of `--load`: the wheel installed into a venv on the runtime and its modules imported. */
export interface LoadResult {
  /**
   * kiln's installer took the wheel: a tag of it is among the runtime's own compatible tags, its
   * Requires-Python admits the runtime's Python, and it installed (RECORD verified) into a venv.
   */
  installed: boolean;
  /**
   * Each extension module imported on its own (parent packages stubbed); `missingDependency`
   * names a Python module its initialisation imported that is not installed (so it did load and link).
   */
  extensions: { module: string; ok: boolean; error?: string; missingDependency?: string }[];
  /** Each top-level module imported normally (may also fail for missing pure-Python dependencies). */
  imports: { module: string; ok: boolean; error?: string }[];
  /** Installed, and every extension module loaded (imported, or stopped only at a missing Python dependency). */
  loads: boolean;
  /** Every extension module imported once the files were in place, whether or not the installer took the wheel. */
  linked: boolean;
  /** Installer or interpreter output when something failed. */
  detail?: string;
}

/** The JSON report of `kiln audit` (schema `kiln.audit.v1`, documented in docs/audit.md). */
export interface AuditReport {
  schema: "kiln.audit.v1";
  input: { path: string; kind: AuditTarget["kind"]; size?: number; sha256?: string };
  wheel?: { filename: string; name: string; version: string; build?: string; tags: string[] };
  runtime: { name: string; version: string; python?: string; abiVersion?: string; platform?: string; mainModuleSha256: string; features: RuntimeFeatures };
  modules: ModuleReport[];
  files: { path: string; size: number; sha256: string }[];
  /** Top-level importable names (from top_level.txt, else from the file layout). */
  topLevelModules: string[];
  findings: Finding[];
  summary: Record<Severity, number>;
  /**
   * The static verdict: would an installer take it (`installs`), would importing it load every
   * module (`loads`), and would the modules load if their files were in place anyway (`links`).
   */
  verdict: { installs: boolean; loads: boolean; links: boolean; reasons: string[] };
  load?: LoadResult;
}

/** Options for {@link auditTarget}. */
export interface AuditOptions {
  manifest: RuntimeManifest;
  /**
   * The platform's synchronous native sha256 (hex), e.g. Node's `createHash`: it costs less CPU
   * than `crypto.subtle` (no copy of each file for a background job). Default: `crypto.subtle`.
   */
  sha256Hex?: (bytes: Uint8Array) => string;
  reporter?: Reporter;
}

/**
 * Audits a wheel, module or directory against one runtime: runs checks 1 to 8 and returns the
 * report. Never throws for problems in the input's content — those are findings.
 *
 * @example
 * const report = await auditTarget(await openWheelTarget(path, bytes), { manifest });
 * report.verdict.loads;
 */
export async function auditTarget(target: AuditTarget, options: AuditOptions): Promise<AuditReport> {
  const { manifest } = options;
  const reporter = options.reporter ?? silentReporter;
  const findings: Finding[] = [...target.findings];
  // With crypto.subtle, the whole input's hash runs off the main thread while the files are checked.
  const inputSha256 = target.bytes ? (options.sha256Hex ? Promise.resolve(options.sha256Hex(target.bytes)) : sha256Hex(target.bytes)) : undefined;
  let wheel: WheelName | undefined;
  let python: PythonTarget = { abi3: false };
  if (target.wheelFilename) {
    const named = checkWheelName(target.wheelFilename, manifest);
    wheel = named.wheel;
    python = named.target;
    findings.push(...named.findings);
  }
  const record = await checkRecord(target.files, { wheel: target.kind === "wheel", ...(options.sha256Hex ? { sha256Hex: options.sha256Hex } : {}) });
  findings.push(...record.findings);
  const read = async (file: AuditFile) => record.contents.get(file.path) ?? file.read();
  if (wheel) findings.push(...(await checkWheelMetadata(target, wheel, read)), ...(await checkWheelLayout(target.files, wheel, record.unreadable)));
  const parsed: [string, WasmModule][] = [];
  // Identical files (libfoo.so and libfoo.so.1) are parsed and scanned once.
  const byDigest = new Map<string, ReturnType<typeof parseModule>>();
  for (const file of target.files.filter((f) => isModulePath(f.path) && !record.unreadable.has(f.path))) {
    reporter.debug(`Reading ${file.path}`);
    const digest = record.digests.get(file.path);
    const result = (digest ? byDigest.get(digest) : undefined) ?? parseModule(file.path, await read(file));
    if (digest) byDigest.set(digest, result);
    if ("finding" in result) findings.push({ ...result.finding, file: file.path });
    else parsed.push([file.path, result.module]);
  }
  const wheelSymbols = collectWheelSymbols(parsed);
  const paths = new Set(target.files.map((f) => f.path));
  const runtimePython = pythonOf(manifest);
  const modules: ModuleReport[] = [];
  for (const [path, module] of parsed) {
    const analysis = analyzeModule({ path, module, sha256: record.digests.get(path) ?? "", manifest, wheelSymbols, paths, target: python, ...(runtimePython ? { runtimePython } : {}) });
    modules.push(analysis.report);
    findings.push(...analysis.findings);
  }
  const sorted = sortFindings(findings);
  return {
    schema: "kiln.audit.v1",
    input: { path: target.input, kind: target.kind, ...(target.bytes && inputSha256 ? { size: target.bytes.length, sha256: await inputSha256 } : {}) },
    ...(wheel ? { wheel: { filename: wheel.filename, name: wheel.name, version: wheel.version, ...(wheel.build ? { build: wheel.build } : {}), tags: wheel.tags.map(formatTag) } } : {}),
    runtime: {
      name: manifest.name, version: manifest.version,
      ...(manifest.python ? { python: manifest.python } : {}), ...(manifest.abiVersion ? { abiVersion: manifest.abiVersion } : {}), ...(manifest.platform ? { platform: manifest.platform } : {}),
      mainModuleSha256: manifest.mainModuleSha256, features: manifest.features,
    },
    modules,
    files: target.files.map((f) => ({ path: f.path, size: f.size, sha256: record.digests.get(f.path) ?? "" })),
    topLevelModules: await topLevelModules(target, read, record.unreadable),
    findings: sorted,
    summary: { error: count(sorted, "error"), warning: count(sorted, "warning"), info: count(sorted, "info") },
    verdict: verdictOf(sorted),
  };
}

function count(findings: Finding[], severity: Severity): number {
  return findings.filter((f) => f.severity === severity).length;
}

/** Installs unless an error stops the installer; loads unless an error stops a module loading. */
function verdictOf(findings: Finding[]): AuditReport["verdict"] {
  const blocking = (effect: string) => findings.filter((f) => f.severity === "error" && f.effect === effect);
  const install = blocking("install");
  const load = blocking("load");
  return {
    installs: install.length === 0,
    loads: install.length === 0 && load.length === 0,
    links: load.length === 0,
    reasons: [...install, ...load].map((f) => `${f.code}${f.file ? ` (${f.file})` : ""}`),
  };
}

async function checkWheelMetadata(target: AuditTarget, wheel: WheelName, read: (file: AuditFile) => Promise<Uint8Array>): Promise<Finding[]> {
  const file = target.files.find((f) => /^[^/]+\.dist-info\/WHEEL$/.test(f.path));
  if (!file) return [{ code: "wheelFileMissing", check: "name", severity: "error", effect: "install", message: "The wheel has no .dist-info/WHEEL file" }];
  try {
    const declared = parseWheelFile(new TextDecoder().decode(await read(file))).tags.map((t) => t.toLowerCase()).sort();
    const named = wheel.tags.map(formatTag).sort();
    if (declared.join() !== named.join()) {
      return [{ code: "wheelTagsDisagree", check: "name", severity: "warning", file: file.path, message: "The Tag lines of WHEEL disagree with the file name", evidence: { wheelFile: declared, filename: named } }];
    }
    return [];
  } catch (error) {
    if (!isKilnError(error)) throw error;
    return [{ code: "wheelFileUnreadable", check: "name", severity: "error", effect: "install", file: file.path, message: error.message }];
  }
}

/** Names `import` would find: top_level.txt when present, else packages and modules at the root. */
async function topLevelModules(target: AuditTarget, read: (file: AuditFile) => Promise<Uint8Array>, unreadable: ReadonlySet<string>): Promise<string[]> {
  const listed = target.files.find((f) => /^[^/]+\.dist-info\/top_level\.txt$/.test(f.path));
  if (listed && !unreadable.has(listed.path)) {
    const names = new TextDecoder().decode(await read(listed)).split(/\r?\n/).map((l) => l.trim()).filter((l) => /^[A-Za-z_][\w]*$/.test(l));
    if (names.length) return [...new Set(names)].sort();
  }
  const names = new Set<string>();
  for (const { path } of target.files) {
    const [first, ...rest] = path.split("/");
    if (!first || /\.(dist-info|data)$/.test(first)) continue;
    if (rest.length === 0) {
      const module = /^([A-Za-z_]\w*)(?:\.[^.]+)*\.(py|so)$/.exec(first);
      if (module) names.add(module[1]!);
    } else if (rest.length === 1 && rest[0] === "__init__.py" && /^[A-Za-z_]\w*$/.test(first)) names.add(first);
  }
  return [...names].sort();
}
