import type { AuditReport, LoadResult } from "./audit-target-report.js";
import { capabilityTitles, type Capability } from "./capabilities.js";
import type { CheckName, Severity } from "./finding.js";

/** Paints text in a named style; the CLI passes its colour-aware painter, tests pass identity. */
export type Paint = (style: "bold" | "dim" | "red" | "yellow" | "green" | "cyan", text: string) => string;

const checkTitles: Record<CheckName, string> = {
  input: "Input", name: "1. Wheel name and tags", record: "2. RECORD integrity", modules: "3. Side modules",
  needed: "4. NEEDED libraries", imports: "5. Imports (will it load)", abi: "6. ABI", capabilities: "7. Capabilities", provenance: "8. Provenance",
};
const severityStyle: Record<Severity, "red" | "yellow" | "cyan"> = { error: "red", warning: "yellow", info: "cyan" };

/**
 * Renders a report as grouped text: verdict, modules, findings by check, provenance.
 * `verbose` lists every file hash and all evidence.
 *
 * @example
 * process.stdout.write(formatAuditText(report, { paint: (s, t) => t }));
 */
export function formatAuditText(report: AuditReport, options: { paint?: Paint; verbose?: boolean } = {}): string {
  const paint: Paint = options.paint ?? ((_, text) => text);
  const lines: string[] = [];
  const runtime = report.runtime;
  lines.push(`${paint("bold", report.wheel?.filename ?? report.input.path)}`);
  lines.push(`  against ${runtime.name} ${runtime.version}${runtime.python ? ` (Python ${runtime.python}${runtime.abiVersion ? `, ABI ${runtime.abiVersion}` : ""})` : ""}`);
  lines.push(`  ${verdictLine(report, paint)}`);
  if (report.load) lines.push(`  ${loadLine(report, paint)}`);
  if (report.modules.length) lines.push("", paint("bold", "Modules"));
  for (const module of report.modules) lines.push(...moduleLines(module, paint));
  const checks = [...new Set(report.findings.map((f) => f.check))];
  for (const check of checks) {
    lines.push("", paint("bold", checkTitles[check]));
    for (const finding of report.findings.filter((f) => f.check === check)) {
      const severity = paint(severityStyle[finding.severity], finding.severity.padEnd(7));
      lines.push(`  ${severity} ${finding.message}${finding.file ? paint("dim", `  [${finding.file}]`) : ""}`);
      const evidence = evidenceText(finding.evidence, options.verbose ?? false);
      if (evidence) lines.push(`          ${paint("dim", evidence)}`);
    }
  }
  lines.push("", paint("bold", checkTitles.provenance));
  lines.push(`  ${report.files.length} files${report.input.sha256 ? `; input sha256 ${report.input.sha256}` : ""}`);
  const shown = options.verbose ? report.files : report.files.filter((f) => /\.(so|wasm)$/.test(f.path));
  for (const file of shown) lines.push(`  ${paint("dim", file.sha256)}  ${file.path}`);
  const s = report.summary;
  lines.push("", `${paint(s.error ? "red" : "green", `${s.error} error(s)`)}, ${paint(s.warning ? "yellow" : "green", `${s.warning} warning(s)`)}, ${s.info} info`);
  return `${lines.join("\n")}\n`;
}

function verdictLine(report: AuditReport, paint: Paint): string {
  const { installs, loads, reasons } = report.verdict;
  const mark = (ok: boolean, yes: string, no: string) => (ok ? paint("green", yes) : paint("red", no));
  const because = reasons.length ? paint("dim", ` (${reasons.slice(0, 4).join(", ")}${reasons.length > 4 ? ", …" : ""})`) : "";
  return `static verdict: ${mark(installs, "installs", "does not install")}, ${installs ? mark(loads, "loads", "does not load") : "not loaded"}${because}`;
}

function loadLine(report: AuditReport, paint: Paint): string {
  const load = report.load!;
  const describe = (i: LoadResult["imports"][number] & { missingDependency?: string }) =>
    `${i.module} ${i.ok ? "ok" : i.missingDependency ? `loaded, needs ${i.missingDependency}` : `failed (${i.error ?? ""})`}`;
  const imported = [...load.extensions, ...load.imports].map(describe).join(", ");
  const agrees = load.loads === report.verdict.loads && load.linked === report.verdict.links;
  return `--load: ${load.installed ? "installed" : "pip refuses it (files unpacked anyway)"}${imported ? `; import ${imported}` : ""}; ${agrees ? paint("green", "agrees with the static verdict") : paint("red", "DISAGREES with the static verdict")}`;
}

function moduleLines(module: AuditReport["modules"][number], paint: Paint): string[] {
  const f = module.features;
  const resolved = Object.entries(module.imports.resolved).map(([by, n]) => `${by} ${n}`).join(", ");
  const lines = [
    `  ${paint("bold", module.path)}  ${module.role}${module.initFunction ? ` (${module.initFunction})` : ""}, ${(module.size / 1e6).toFixed(2)} MB`,
    `    imports ${module.imports.total} (${resolved || "none"}), ${module.imports.unresolved.length ? paint("red", `${module.imports.unresolved.length} unresolved`) : "all resolved"}; exports ${module.exports}`,
    `    exceptions ${f.exceptions}${f.exceptionEncoding !== "none" ? ` (${f.exceptionEncoding})` : ""}, longjmp ${f.longjmp}, SIMD ${f.simd ? "yes" : "no"}, threads ${f.sharedMemory ? "yes" : "no"}, memory64 ${f.memory64 ? "yes" : "no"}`,
  ];
  if (module.dylink?.needed.length) lines.push(`    NEEDED ${module.dylink.needed.map((n) => `${n.name} → ${n.foundAt ?? "missing"}`).join(", ")}`);
  const capabilities = Object.entries(module.capabilities) as [Capability, string[]][];
  if (capabilities.length) lines.push(`    reaches ${capabilities.map(([c, s]) => `${capabilityTitles[c]} (${s.length})`).join(", ")}`);
  for (const js of module.embeddedJavaScript) {
    const title = js.kind === "EM_JS" ? `EM_JS ${js.name}${js.signature}` : `EM_ASM at ${js.address}`;
    lines.push(`    ${paint("yellow", title)}: ${paint("dim", oneLine(js.body, 160))}`);
  }
  return lines;
}

function evidenceText(evidence: unknown, verbose: boolean): string | undefined {
  if (evidence === undefined) return undefined;
  if (Array.isArray(evidence) && evidence.every((e) => typeof e === "string")) {
    const shown = verbose ? evidence : evidence.slice(0, 12);
    return shown.join(", ") + (shown.length < evidence.length ? `, … ${evidence.length - shown.length} more` : "");
  }
  return oneLine(JSON.stringify(evidence), verbose ? Infinity : 200);
}

function oneLine(text: string, limit: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > limit ? `${flat.slice(0, limit)}…` : flat;
}
