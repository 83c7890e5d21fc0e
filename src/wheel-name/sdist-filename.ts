import { isKilnError, KilnError } from "../core/index.js";
import { tryParseVersion, type Version } from "../pep440/index.js";
import { normalizeName } from "../pep508/index.js";

/** The parts of a source distribution filename. */
export interface SdistFilename {
  /** The project name, PEP 503-normalized. */
  name: string;
  version: Version;
  /** `tar.gz` (the standard) or the legacy `zip`. */
  extension: "tar.gz" | "zip";
}

const maximumVersionDashes = 4;

/** Options of {@link parseSdistFilename}. */
export interface ParseSdistFilenameOptions {
  /**
   * The project the file belongs to (for example from the index page it was listed on). Legacy
   * filenames such as `foo-bar-1.0-2.tar.gz` are ambiguous; with the name, the split is exact.
   */
  project?: string;
}

/**
 * Parses `{name}-{version}.tar.gz` (PEP 625) and legacy `.zip` sdists. Without a project name
 * the split is at the last `-` (as packaging does), or, when the text after it is not a version,
 * at the last `-` that leaves a valid version after it (`foo-1.0-dev.tar.gz` → `foo`, `1.0.dev0`).
 *
 * @example
 * parseSdistFilename("zope.interface-7.1.tar.gz").name; // "zope-interface"
 * parseSdistFilename("foo-bar-1.0-2.tar.gz", { project: "foo-bar" }).version; // 1.0.post2
 */
export function parseSdistFilename(filename: string, options: ParseSdistFilenameOptions = {}): SdistFilename {
  const extension = filename.endsWith(".tar.gz") ? "tar.gz" : filename.endsWith(".zip") ? "zip" : undefined;
  if (extension === undefined) throw invalid(filename, 'it does not end in ".tar.gz" or ".zip"');
  const stem = filename.slice(0, -(extension.length + 1));
  if (options.project !== undefined) return splitAtProject(filename, stem, extension, options.project);
  // A version holds a few dashes at most ("1.0-rc-1"); looking further back only costs time.
  const dashes = [...stem.matchAll(/-/g)].map((match) => match.index!).reverse().slice(0, maximumVersionDashes + 1);
  if (dashes.length === 0) throw invalid(filename, 'there is no "-" between name and version');
  if (dashes[0] === 0) throw invalid(filename, "the project name is empty");
  for (const dash of dashes) {
    if (dash === 0) break;
    const version = tryParseVersion(stem.slice(dash + 1));
    if (version !== undefined) return { name: normalizeName(stem.slice(0, dash)), version, extension };
  }
  throw invalid(filename, `"${stem.slice(dashes[0]! + 1)}" is not a valid PEP 440 version`);
}

function splitAtProject(filename: string, stem: string, extension: SdistFilename["extension"], project: string): SdistFilename {
  const wanted = normalizeName(project);
  for (const match of stem.matchAll(/-/g)) {
    const dash = match.index!;
    const prefix = normalizeName(stem.slice(0, dash));
    // Normalized prefixes only grow, so once one is longer than the name none can match.
    if (prefix.length > wanted.length) break;
    if (prefix !== wanted) continue;
    const version = tryParseVersion(stem.slice(dash + 1));
    if (version === undefined) throw invalid(filename, `"${stem.slice(dash + 1)}" is not a valid PEP 440 version`);
    return { name: wanted, version, extension };
  }
  throw invalid(filename, `it does not start with the project name "${project}" followed by "-"`);
}

/**
 * Like {@link parseSdistFilename}, but returns undefined for invalid input.
 *
 * @example
 * tryParseSdistFilename("foo.tar.gz"); // undefined
 */
export function tryParseSdistFilename(filename: string, options: ParseSdistFilenameOptions = {}): SdistFilename | undefined {
  try {
    return parseSdistFilename(filename, options);
  } catch (error) {
    if (isKilnError(error)) return undefined;
    throw error;
  }
}

function invalid(filename: string, problem: string): KilnError {
  const shown = filename.length > 200 ? `${filename.slice(0, 200)}…` : filename;
  return new KilnError("invalidSdistFilename", `Cannot parse source distribution filename "${shown}": ${problem}`, {
    hint: "Source distribution filenames look like name-1.0.tar.gz; pass the project name to split legacy names such as foo-bar-1.0-2.tar.gz",
  });
}
