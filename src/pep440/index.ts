/**
 * PEP 440 versions, specifiers and version ranges (https://peps.python.org/pep-0440/,
 * https://packaging.python.org/en/latest/specifications/version-specifiers/), matching the
 * reference implementation `packaging` 26 answer for answer (a differential test checks).
 *
 * Quirks:
 * - Normalization is part of parsing: `V1.0-RC_1` is `1.0rc1`, `1.0-1` is `1.0.post1`, `1.0a.`
 *   is `1.0a0`, `1.0+Ubuntu-01` is `1.0+ubuntu.1`; surrounding whitespace is Python's (which
 *   includes U+001C–U+001F and U+0085 but not U+FEFF). Letters are ASCII only.
 * - Ordering: `1.0 == 1.0.0`; `1.0.dev0 < 1.0a0 < 1.0 < 1.0+local < 1.0.post0`; in local
 *   segments strings sort before numbers. Numbers have no size limit (exact digits, not doubles).
 * - `<V` excludes pre-releases of V (unless V is one); `>V` excludes V's post-releases and local
 *   versions (unless V is a post-release); `==V` and `<=V` admit `V+local`; `==V.*` is a prefix
 *   match with zero padding; `~=1.4.5` is `>=1.4.5, ==1.4.*`; `===` is case-insensitive string
 *   identity with the text given.
 * - Pre-release policy: `contains` judges a single version as `packaging` 26 does (a lone
 *   pre-release matches unless `prereleases: false`); `filterVersions` drops pre-releases when a
 *   final release matches, unless a specifier names a pre-release or `prereleases: true`.
 * - `VersionRange` is the set algebra over versions for the resolver. It carries no pre-release
 *   policy: `fromSpecifierSet(s).contains(v)` equals `s.contains(v, { prereleases: true })`, and
 *   whether pre-releases are allowed at all is a filter the caller applies to candidates.
 */
export { type Version, type PreReleaseLetter, createVersion } from "./version.js";
export { parseVersion, tryParseVersion } from "./parse-version.js";
export { formatVersion } from "./format-version.js";
export { compareVersions, versionsEqual, versionSortKey } from "./compare-versions.js";
export { sortVersions, sortVersionStrings } from "./sort-versions.js";
export { isPrerelease, isDevrelease, isPostrelease } from "./version-kinds.js";
export { baseVersion, publicVersion } from "./version-projections.js";
export { Specifier, parseSpecifier, tryParseSpecifier, type SpecifierOperator, type PrereleaseOptions } from "./specifier.js";
export { SpecifierSet, parseSpecifierSet, tryParseSpecifierSet } from "./specifier-set.js";
export { filterVersions } from "./filter-versions.js";
export { type Cut, type CutKind } from "./cut.js";
export { type Interval } from "./specifier-intervals.js";
export { VersionRange } from "./version-range.js";
