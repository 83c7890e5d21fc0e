import type { AuditReport } from "./audit-target-report.js";
import { capabilityTitles, type Capability } from "./capabilities.js";

const escapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escape = (text: unknown) => String(text).replace(/[&<>"']/g, (c) => escapes[c]!);

const style = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1b1b}h1{font-size:1.3rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0;width:100%}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}code,pre{font:12px ui-monospace,monospace}pre{background:#f7f7f7;padding:.5rem;overflow:auto;white-space:pre-wrap}
.error{color:#b00020;font-weight:600}.warning{color:#9a6700;font-weight:600}.info{color:#0b5cad}.ok{color:#1a7f37;font-weight:600}`;

/**
 * Renders a report as one self-contained HTML page (no scripts, no external resources; every
 * string from the wheel is escaped): verdict, modules, findings, embedded JavaScript, files.
 *
 * @example
 * await writeFile("audit.html", formatAuditHtml([report]));
 */
export function formatAuditHtml(reports: readonly AuditReport[]): string {
  const body = reports.map(reportSection).join("\n");
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>kiln audit</title><style>${style}</style></head><body>\n${body}\n</body></html>\n`;
}

function reportSection(report: AuditReport): string {
  const r = report.runtime;
  const v = report.verdict;
  const parts = [
    `<section><h1>${escape(report.wheel?.filename ?? report.input.path)}</h1>`,
    `<p>Runtime: <code>${escape(`${r.name} ${r.version}`)}</code>${r.python ? ` (Python ${escape(r.python)}, ABI ${escape(r.abiVersion ?? "?")})` : ""}. ` +
      `Static verdict: <span class="${v.installs ? "ok" : "error"}">${v.installs ? "installs" : "does not install"}</span>, ` +
      `<span class="${v.loads ? "ok" : "error"}">${v.loads ? "loads" : "does not load"}</span>${v.reasons.length ? ` (${escape(v.reasons.join(", "))})` : ""}.</p>`,
  ];
  if (report.load) {
    const agrees = report.load.loads === v.loads && report.load.linked === v.links;
    parts.push(`<p>--load: ${report.load.installed ? "installed" : "pip refuses it"}; ${[...report.load.extensions, ...report.load.imports].map((i) => `${escape(i.module)} ${i.ok ? "ok" : "failed"}`).join(", ")}; <span class="${agrees ? "ok" : "error"}">${agrees ? "agrees" : "disagrees"}</span> with the static verdict.</p>`);
  }
  parts.push("<h2>Modules</h2>", table(["Path", "Role", "Imports", "Unresolved", "Exceptions", "longjmp", "SIMD / threads / memory64", "Reaches"], report.modules.map((m) => [
    `<code>${escape(m.path)}</code>`, escape(m.role + (m.initFunction ? ` (${m.initFunction})` : "")), String(m.imports.total),
    m.imports.unresolved.length ? `<span class="error">${m.imports.unresolved.map((u) => escape(`${u.module}.${u.name}`)).join("<br>")}</span>` : "none",
    escape(`${m.features.exceptions} ${m.features.exceptionEncoding}`), escape(m.features.longjmp),
    escape(`${m.features.simd ? "yes" : "no"} / ${m.features.sharedMemory ? "yes" : "no"} / ${m.features.memory64 ? "yes" : "no"}`),
    (Object.entries(m.capabilities) as [Capability, string[]][]).map(([c, s]) => `${escape(capabilityTitles[c])}: <code>${escape(s.join(", "))}</code>`).join("<br>"),
  ])));
  parts.push("<h2>Findings</h2>", table(["Severity", "Check", "Code", "Message", "File", "Evidence"], report.findings.map((f) => [
    `<span class="${f.severity}">${f.severity}</span>`, escape(f.check), `<code>${escape(f.code)}</code>`, escape(f.message),
    f.file ? `<code>${escape(f.file)}</code>` : "", f.evidence === undefined ? "" : `<code>${escape(JSON.stringify(f.evidence))}</code>`,
  ])));
  const scripts = report.modules.flatMap((m) => m.embeddedJavaScript.map((js) => ({ path: m.path, js })));
  if (scripts.length) {
    parts.push("<h2>Embedded JavaScript</h2>");
    for (const { path, js } of scripts) {
      const title = js.kind === "EM_JS" ? `EM_JS ${js.name}${js.signature}` : `EM_ASM at ${js.address}`;
      parts.push(`<h3><code>${escape(path)}</code>: ${escape(title)}</h3><pre>${escape(js.body)}</pre>`);
    }
  }
  parts.push("<h2>Files</h2>", table(["Path", "Size", "sha256"], report.files.map((f) => [`<code>${escape(f.path)}</code>`, String(f.size), `<code>${f.sha256}</code>`])));
  parts.push("</section>");
  return parts.join("\n");
}

function table(headers: string[], rows: string[][]): string {
  if (rows.length === 0) return "<p>None.</p>";
  return `<table><thead><tr>${headers.map((h) => `<th>${escape(h)}</th>`).join("")}</tr></thead><tbody>` +
    rows.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join("")}</tr>`).join("") + "</tbody></table>";
}
