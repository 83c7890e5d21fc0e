/**
 * The environment marker syntax tree.
 *
 * A {@link Marker} keeps the shape it was written in: a flat run of terms joined by `and`/`or`
 * (with `and` binding tighter when evaluated) and a nested `Marker` for each parenthesised group,
 * so formatting reproduces the author's grouping.
 */

import { markerEnvironmentKeys } from "./marker-environment.js";

/** Every environment marker variable, in its canonical spelling. */
export const markerVariableNames = [...markerEnvironmentKeys, "extra", "extras", "dependency_groups"] as const;

/** A marker variable such as `python_version` or `extra`. */
export type MarkerVariableName = (typeof markerVariableNames)[number];

/** The variables whose values are compared as PEP 440 versions when the other side is one. */
export const versionMarkerVariables: ReadonlySet<MarkerVariableName> = new Set([
  "implementation_version",
  "platform_release",
  "python_full_version",
  "python_version",
]);

/** The variables whose value is a set of names (lock files, PEP 751), used with `in`/`not in`. */
export const setMarkerVariables: ReadonlySet<MarkerVariableName> = new Set(["extras", "dependency_groups"]);

/** A comparison operator in a marker. */
export type MarkerOperator = "<" | "<=" | "==" | "!=" | ">=" | ">" | "~=" | "===" | "in" | "not in";

/** `and` or `or`. */
export type MarkerBooleanOperator = "and" | "or";

/** An environment variable operand, such as `python_version`. */
export interface MarkerVariable {
  kind: "variable";
  name: MarkerVariableName;
}

/** A quoted string operand, already unquoted and unescaped. */
export interface MarkerString {
  kind: "string";
  value: string;
}

/** One side of a comparison. */
export type MarkerOperand = MarkerVariable | MarkerString;

/** `left operator right`, such as `python_version >= "3.9"`. */
export interface MarkerComparison {
  kind: "comparison";
  left: MarkerOperand;
  operator: MarkerOperator;
  right: MarkerOperand;
}

/**
 * A marker expression: `terms[0] operators[0] terms[1] …`. Nested `Marker` terms are
 * parenthesised groups.
 */
export interface Marker {
  kind: "marker";
  terms: MarkerTerm[];
  operators: MarkerBooleanOperator[];
}

/** A term of a marker expression: a comparison or a parenthesised group. */
export type MarkerTerm = MarkerComparison | Marker;
