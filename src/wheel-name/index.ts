/**
 * Wheel filenames (PEP 427, https://packaging.python.org/en/latest/specifications/binary-distribution-format/)
 * and source distribution filenames (PEP 625,
 * https://packaging.python.org/en/latest/specifications/source-distribution-format/).
 *
 * Quirks: a wheel's name is escaped (`-` → `_`) and compared normalized; the build tag must start
 * with a digit and sorts by that number first; the tag part may be a compressed set; legacy sdist
 * names may contain `-` in both name and version, so the split needs the project name to be exact.
 */
export {
  formatWheelFilename,
  parseWheelFilename,
  tryParseWheelFilename,
  type WheelFilename,
} from "./wheel-filename.js";
export {
  parseSdistFilename,
  tryParseSdistFilename,
  type ParseSdistFilenameOptions,
  type SdistFilename,
} from "./sdist-filename.js";
