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
  // Files are ranked once (a large wheel has thousands of findings but far fewer files), in
  // `localeCompare` order; files it deems equal share a rank, so the order is the same as
  // comparing the names in every comparison.
  const names = [...new Set(findings.map((f) => f.file ?? ""))].sort((a, b) => a.localeCompare(b));
  const rank = new Map<string, number>();
  names.forEach((name, index) => rank.set(name, index > 0 && names[index - 1]!.localeCompare(name) === 0 ? rank.get(names[index - 1]!)! : index));
  return [...findings].sort(
    (a, b) => checks.indexOf(a.check) - checks.indexOf(b.check) || order[b.severity] - order[a.severity] || rank.get(a.file ?? "")! - rank.get(b.file ?? "")!,
  );
}
