import { strict as assert } from "node:assert";
import { test } from "node:test";
import { sortFindings, type CheckName, type Finding, type Severity } from "./finding.js";

// The order sortFindings promises: check, then severity (worst first), then file in localeCompare order.
function reference(findings: readonly Finding[]): Finding[] {
  const checks: CheckName[] = ["input", "name", "record", "modules", "needed", "imports", "abi", "capabilities", "provenance"];
  const order: Record<Severity, number> = { info: 0, warning: 1, error: 2 };
  return [...findings].sort((a, b) => checks.indexOf(a.check) - checks.indexOf(b.check) || order[b.severity] - order[a.severity] || (a.file ?? "").localeCompare(b.file ?? ""));
}

test("findings sort by check, severity and file exactly as comparing file names with localeCompare does", () => {
  // Names that localeCompare orders differently from code units: case, punctuation, accents,
  // digits, and two spellings of "é" it deems equal.
  const files = [undefined, "", "a.so", "B.so", "b.so", "_x.so", "x/_y.so", "x/y.so", "x-y.so", "é.so", "e\u0301.so", "f.so", "z10.so", "z9.so", "Z.so"];
  const checks: CheckName[] = ["record", "modules", "imports", "capabilities", "name"];
  const severities: Severity[] = ["info", "warning", "error"];
  let state = 7;
  const pick = <T>(list: readonly T[]) => list[(state = (state * 1103515245 + 12345) % 2 ** 31) % list.length]!;
  for (let round = 0; round < 200; round++) {
    const findings: Finding[] = Array.from({ length: 1 + (round % 40) }, (_, index) => {
      const file = pick(files);
      return { code: `c${index}`, check: pick(checks), severity: pick(severities), message: "m", ...(file === undefined ? {} : { file }) };
    });
    assert.deepEqual(sortFindings(findings), reference(findings), `round ${round}`);
  }
});
