/**
 * PEP 508 dependency specifiers and environment markers (https://peps.python.org/pep-0508/,
 * maintained at https://packaging.python.org/en/latest/specifications/dependency-specifiers/),
 * plus PEP 503 name normalization (https://peps.python.org/pep-0503/).
 *
 * Quirks: quoted marker values are Python string literals (escapes are decoded); `extra`,
 * `extras` and `dependency_groups` values compare PEP 685-normalized; only the version-valued
 * variables (`python_version`, `python_full_version`, `platform_release`,
 * `implementation_version`) compare as PEP 440 versions, other `<`/`>` comparisons are false;
 * a name may not end in `.`/`-` unless a word character follows; `and` binds tighter than `or`.
 */
export { isNormalizedName, isValidName, normalizeName, parseName } from "./normalize-name.js";
export {
  markerVariableNames,
  setMarkerVariables,
  versionMarkerVariables,
  type Marker,
  type MarkerBooleanOperator,
  type MarkerComparison,
  type MarkerOperand,
  type MarkerOperator,
  type MarkerString,
  type MarkerTerm,
  type MarkerVariable,
  type MarkerVariableName,
} from "./marker.js";
export { parseMarker, tryParseMarker } from "./parse-marker.js";
export { formatComparison, formatMarker } from "./format-marker.js";
export { decodePythonString, quotePythonString } from "./python-string.js";
export {
  markerEnvironmentKeys,
  markerEnvironmentScript,
  parseMarkerEnvironment,
  type MarkerEnvironment,
} from "./marker-environment.js";
export { evaluateMarker, type EvaluateMarkerOptions } from "./evaluate-marker.js";
export { type Requirement } from "./requirement.js";
export { parseRequirement, tryParseRequirement } from "./parse-requirement.js";
export { formatRequirement } from "./format-requirement.js";
