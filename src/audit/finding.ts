/** How serious a finding is; `--fail-on` compares against this order. */
export type Severity = "info" | "warning" | "error";

/** The checks of `kiln audit`, in report order. */
export type CheckName = "name" | "record" | "modules" | "needed" | "imports" | "abi" | "capabilities" | "provenance" | "input";

/**
 * One thing the audit found. Findings are data: a stable `code` (listed in `findingCodes`), a
 * severity, a sentence, the file it is about and the evidence behind it.
 */
export interface Finding {
  code: string;
  check: CheckName;
  severity: Severity;
  message: string;
  /** Path inside the wheel (or the input path) the finding is about. */
  file?: string;
  /** Symbols, hashes, offsets: whatever shows the finding is true. */
  evidence?: unknown;
  /**
   * What the problem does at run time: `install` (an installer refuses the wheel), `load`
   * (importing fails), `call` (importing works, calling the affected code fails).
   */
  effect?: "install" | "load" | "call";
}

const order: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/**
 * True when `severity` is at or above `threshold`.
 *
 * @example
 * atLeast("error", "warning"); // true
 */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return order[severity] >= order[threshold];
}

/**
 * Findings sorted by check order, then severity (worst first), then file.
 *
 * @example
 * sortFindings(report.findings)[0].severity; // "error" if any
 */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const checks: CheckName[] = ["input", "name", "record", "modules", "needed", "imports", "abi", "capabilities", "provenance"];
  // One collator for the whole sort: it orders as `localeCompare` does, without setting one up per comparison.
  const files = new Intl.Collator();
  return [...findings].sort(
    (a, b) => checks.indexOf(a.check) - checks.indexOf(b.check) || order[b.severity] - order[a.severity] || files.compare(a.file ?? "", b.file ?? ""),
  );
}
