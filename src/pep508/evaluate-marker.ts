import { KilnError } from "../core/index.js";
import { tryParseSpecifier } from "../pep440/index.js";
import { formatComparison } from "./format-marker.js";
import type { Marker, MarkerComparison, MarkerOperand, MarkerOperator, MarkerTerm, MarkerVariableName } from "./marker.js";
import { setMarkerVariables, versionMarkerVariables } from "./marker.js";
import type { MarkerEnvironment } from "./marker-environment.js";
import { normalizeName } from "./normalize-name.js";

/** Options of {@link evaluateMarker}. */
export interface EvaluateMarkerOptions {
  /**
   * The extras requested for the distribution whose dependency this marker guards. The marker is
   * true when it is true for any of them (as pip evaluates `Requires-Dist`); with none, `extra`
   * is the empty string.
   */
  extras?: readonly string[];
}

/**
 * Evaluates a marker against an environment, the way `packaging.markers.Marker.evaluate` does:
 * version-valued variables compare as PEP 440 versions when the other side is a valid specifier
 * version; other comparisons are string comparisons in which `<` and `>` are false and `<=`/`>=`
 * mean equality; `in`/`not in` are substring tests, or membership tests for `extras` and
 * `dependency_groups`; `extra` values compare PEP 685-normalized.
 *
 * Throws `invalidMarkerEvaluation` for comparisons the spec leaves undefined (`~=` on strings that
 * are not versions, a set-valued variable on the left) and for variables the environment lacks.
 *
 * @example
 * evaluateMarker(parseMarker('sys_platform == "emscripten" and python_version >= "3.13"'), markerEnvironmentForAbi("2026_0")); // true
 * evaluateMarker(parseMarker('extra == "test"'), environment, { extras: ["Test"] }); // true
 */
export function evaluateMarker(marker: Marker, environment: MarkerEnvironment, options: EvaluateMarkerOptions = {}): boolean {
  const extras = options.extras ?? [];
  if (extras.length === 0) return evaluateExpression(marker, { environment, extra: "" });
  return extras.some((extra) => evaluateExpression(marker, { environment, extra: normalizeName(extra) }));
}

interface Context {
  environment: MarkerEnvironment;
  extra: string;
}

// `and` binds tighter than `or`: the expression is true when any `or`-separated group is all true.
function evaluateExpression(marker: Marker, context: Context): boolean {
  let groupTrue = evaluateTerm(marker.terms[0]!, context);
  let anyGroupTrue = false;
  marker.operators.forEach((operator, index) => {
    const value = evaluateTerm(marker.terms[index + 1]!, context);
    if (operator === "or") {
      anyGroupTrue ||= groupTrue;
      groupTrue = value;
    } else {
      groupTrue &&= value;
    }
  });
  return anyGroupTrue || groupTrue;
}

function evaluateTerm(term: MarkerTerm, context: Context): boolean {
  return term.kind === "comparison" ? evaluateComparison(term, context) : evaluateExpression(term, context);
}

function evaluateComparison(comparison: MarkerComparison, context: Context): boolean {
  const { left, operator, right } = comparison;
  // The variable decides how values compare; with variables on both sides the left one does.
  const key = left.kind === "variable" ? left.name : right.kind === "variable" ? right.name : undefined;
  if (key === undefined) {
    throw undefinedComparison(comparison, "it compares two quoted strings; one side must be a marker variable");
  }
  const leftValue = valueOf(left, context, comparison);
  const rightValue = valueOf(right, context, comparison);
  if (typeof leftValue !== "string") {
    throw undefinedComparison(comparison, `the set-valued "${key}" can only be used as "<name>" in ${key}`);
  }
  if (typeof rightValue !== "string") {
    const names = new Set(rightValue.map(normalizeName));
    return compareWithSet(normalizeName(leftValue), operator, names, comparison);
  }
  if (versionMarkerVariables.has(key)) {
    const specifier = tryParseSpecifier(`${operator}${rightValue}`);
    if (specifier !== undefined) return specifier.contains(leftValue, { prereleases: true });
  }
  return compareStrings(leftValue, operator, rightValue, comparison);
}

function valueOf(operand: MarkerOperand, context: Context, comparison: MarkerComparison): string | readonly string[] {
  if (operand.kind === "string") return operand.value;
  if (operand.name === "extra") return context.extra;
  const value = lookup(context.environment, operand.name);
  if (value === undefined) {
    const hint = setMarkerVariables.has(operand.name)
      ? `"${operand.name}" is only defined when evaluating lock file markers; pass it in the environment`
      : `The environment has no "${operand.name}"`;
    throw new KilnError("invalidMarkerEvaluation", `Cannot evaluate marker "${formatComparison(comparison)}": "${operand.name}" is not set`, { hint });
  }
  return operand.name === "python_full_version" && typeof value === "string" ? repairFullVersion(value) : value;
}

function lookup(environment: MarkerEnvironment, name: Exclude<MarkerVariableName, "extra">): string | readonly string[] | undefined {
  return environment[name];
}

// platform.python_version() ends in "+" for untagged CPython builds, which is not PEP 440.
function repairFullVersion(version: string): string {
  return version.endsWith("+") ? `${version}local` : version;
}

function compareStrings(left: string, operator: MarkerOperator, right: string, comparison: MarkerComparison): boolean {
  switch (operator) {
    case "in":
      return right.includes(left);
    case "not in":
      return !right.includes(left);
    case "==":
    case "<=":
    case ">=":
      return left === right;
    case "!=":
      return left !== right;
    case "<":
    case ">":
      return false;
    default:
      throw undefinedComparison(comparison, `"${operator}" needs PEP 440 versions on a version variable`);
  }
}

function compareWithSet(left: string, operator: MarkerOperator, names: ReadonlySet<string>, comparison: MarkerComparison): boolean {
  switch (operator) {
    case "in":
      return names.has(left);
    case "not in":
      return !names.has(left);
    case "!=":
      return true;
    case "==":
    case "<=":
    case ">=":
    case "<":
    case ">":
      return false;
    default:
      throw undefinedComparison(comparison, `"${operator}" is not defined for a set of names`);
  }
}

function undefinedComparison(comparison: MarkerComparison, problem: string): KilnError {
  return new KilnError("invalidMarkerEvaluation", `Cannot evaluate marker "${formatComparison(comparison)}": ${problem}`, {
    hint: "Compare version variables (python_version, python_full_version, platform_release, implementation_version) with ~=; use ==, != or in for the others",
  });
}
