import { fileURLToPath } from "node:url";
import { readDirectUrl, type DirectUrl, type InstallFileSystem } from "../../installer/index.js";
import { headerValues, parseEmailHeaders } from "../../metadata/index.js";
import { formatVersion, tryParseVersion } from "../../pep440/index.js";
import { evaluateMarker, tryParseRequirement, type MarkerEnvironment } from "../../pep508/index.js";

/**
 * The directory of a PEP 660 editable install (pip's `editable_project_location`): the path of a
 * `file:` URL in `direct_url.json` whose `dir_info` says editable; undefined for anything else.
 *
 * @example
 * await editableProjectLocation(fs, dist.distInfo); // "/work/demo"
 */
export async function editableProjectLocation(fs: InstallFileSystem, distInfo: string): Promise<string | undefined> {
  return editableLocationOf(await readDirectUrl(fs, distInfo));
}

/** {@link editableProjectLocation} of an already read `direct_url.json`. */
export function editableLocationOf(direct: DirectUrl | undefined): string | undefined {
  if (direct?.dir_info?.editable !== true || !direct.url.startsWith("file:")) return undefined;
  try {
    return fileURLToPath(direct.url);
  } catch {
    return undefined;
  }
}

/**
 * The `name @ URL` line pip writes for a direct reference (pip's
 * `direct_url_as_pep440_direct_reference`): an archive's recorded hash and a subdirectory go into
 * the URL's fragment, so that installing the line again checks the same file.
 *
 * @example
 * directReference({ url: "file:///w/demo-1.0-py3-none-any.whl", archive_info: { hash: "sha256=ab" } }, "demo"); // "demo @ file:///w/demo-1.0-py3-none-any.whl#sha256=ab"
 */
export function directReference(direct: DirectUrl, name: string): string {
  const fragments: string[] = [];
  let url = direct.url;
  if (direct.vcs_info) url = `${direct.vcs_info.vcs}+${direct.url}@${direct.vcs_info.commit_id}`;
  else if (direct.archive_info) {
    // pip takes the first of `hashes`, with the older `hash` field folded in when it names another algorithm.
    const [first] = Object.entries(direct.archive_info.hashes ?? {});
    const hash = first ? `${first[0]}=${first[1]}` : direct.archive_info.hash;
    if (hash) fragments.push(hash);
  }
  if (direct.subdirectory) fragments.push(`subdirectory=${direct.subdirectory}`);
  return `${name} @ ${url}${fragments.length ? `#${fragments.join("&")}` : ""}`;
}

/**
 * `name==version` as pip's freeze formats write it: the version normalized (PEP 440), or
 * `===` with the version as written when it is not a valid one.
 *
 * @example
 * pinnedRequirement("Demo", "1.0.0-beta"); // "Demo==1.0.0b0"
 */
export function pinnedRequirement(name: string, version: string): string {
  const parsed = tryParseVersion(version);
  return parsed ? `${name}==${formatVersion(parsed)}` : `${name}===${version}`;
}

/**
 * A version as pip's `str(dist.version)` gives it: normalized when valid, else as written.
 *
 * @example
 * normalizedVersion("1.0.0-beta"); // "1.0.0b0"
 */
export function normalizedVersion(version: string): string {
  const parsed = tryParseVersion(version);
  return parsed ? formatVersion(parsed) : version;
}

/**
 * The names a distribution depends on in this environment, as pip's `iter_dependencies()` without
 * extras gives them: Requires-Dist entries whose marker holds (with `extra` empty), each once, in
 * the order written. Unparsable entries are skipped.
 *
 * @example
 * dependencyNames(dist, target.markerEnvironment); // ["iniconfig", "packaging", "pluggy"]
 */
export function dependencyNames(dist: { metadata: string }, environment: MarkerEnvironment): string[] {
  const names = headerValues(parseEmailHeaders(dist.metadata), "Requires-Dist").flatMap((text) => {
    const requirement = tryParseRequirement(text);
    if (!requirement || (requirement.marker && !evaluateMarker(requirement.marker, environment))) return [];
    return [requirement.name];
  });
  return [...new Set(names)];
}

/**
 * Python's string order (code point by code point), which pip's `sorted()` uses; JavaScript's
 * default order compares UTF-16 units instead.
 *
 * @example
 * ["b", "A", "a"].sort(compareCodePoints); // ["A", "a", "b"]
 */
export function compareCodePoints(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    const difference = left[index]!.codePointAt(0)! - right[index]!.codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}
