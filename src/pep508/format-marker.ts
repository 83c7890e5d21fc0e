import type { Marker, MarkerComparison, MarkerOperand, MarkerTerm } from "./marker.js";
import { quotePythonString } from "./python-string.js";

/**
 * Formats a marker in the canonical form the reference implementation prints: single spaces
 * around operators, double quotes, parentheses only for the groups the author wrote (and none
 * around a lone comparison or the whole expression). Values holding a backslash, a line break
 * or both quote characters are escaped so that the result parses back to the same marker.
 *
 * @example
 * formatMarker(parseMarker("(os_name=='nt')and python_version<'3.9'")); // 'os_name == "nt" and python_version < "3.9"'
 */
export function formatMarker(marker: Marker): string {
  return formatTerm(marker, true);
}

function formatTerm(term: MarkerTerm, outermost: boolean): string {
  if (term.kind === "comparison") return formatComparison(term);
  if (term.terms.length === 1) return formatTerm(term.terms[0]!, outermost);
  let text = formatTerm(term.terms[0]!, false);
  term.operators.forEach((operator, index) => {
    text += ` ${operator} ${formatTerm(term.terms[index + 1]!, false)}`;
  });
  return outermost ? text : `(${text})`;
}

/**
 * Formats one comparison, such as `python_version >= "3.9"`.
 *
 * @example
 * formatComparison({ kind: "comparison", left: { kind: "variable", name: "os_name" }, operator: "==", right: { kind: "string", value: "nt" } }); // 'os_name == "nt"'
 */
export function formatComparison(comparison: MarkerComparison): string {
  return `${formatOperand(comparison.left)} ${comparison.operator} ${formatOperand(comparison.right)}`;
}

function formatOperand(operand: MarkerOperand): string {
  return operand.kind === "variable" ? operand.name : quotePythonString(operand.value);
}
