/**
 * PEP 425 compatibility tags (https://peps.python.org/pep-0425/, maintained at
 * https://packaging.python.org/en/latest/specifications/platform-compatibility-tags/) and the
 * Pyodide/Emscripten platforms of PEP 783 (https://peps.python.org/pep-0783/).
 *
 * Quirks: a tag may be a compressed set (`py2.py3-none-any`) and is compared lower-cased; the
 * interpreter's preference order puts `abi3` before `none`, the major-only `py3` right after the
 * current `pyXY`, and `cpXY-none-any` before every `py*-none-any`; one Emscripten ABI has three
 * platform spellings (`pyemscripten_2026_0_wasm32`, legacy `pyodide_2026_0_wasm32`, and
 * `emscripten_5_0_3_wasm32`), and PyPI accepts only the first for uploads.
 */
export { formatTag, formatTagSet, maximumTagSetSize, parseTag, tryParseTag, type Tag } from "./tag.js";
export {
  abiForPlatformTag,
  abiForPyodideVersion,
  abiForVersion,
  emscriptenPlatformTag,
  parsePyodideAbi,
  pyodideAbis,
  pyodideReleaseOf,
  tryParsePyodideAbi,
  type PyodideAbi,
  type PyodideRelease,
} from "./pyodide-abi.js";
export {
  compatibleTags,
  compatibleTagsForAbi,
  platformTagsForAbi,
  platformTagsForRuntime,
  type CompatibleTagsOptions,
  type RuntimePlatformFacts,
} from "./compatible-tags.js";
export { tagRanking, wheelTagRank, type TagRanking } from "./tag-ranking.js";
export { markerEnvironmentForAbi } from "./marker-environment-for-abi.js";
