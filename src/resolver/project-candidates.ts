import type { DistributionFile } from "../index/index.js";
import { compareVersions, formatVersion, isPrerelease, tryParseSpecifierSet, tryParseVersion, type Version } from "../pep440/index.js";
import { tryParseTag, wheelTagRank, type Tag, type TagRanking } from "../tags/index.js";

/** Why a version of a project cannot be installed on the target, for hints. */
export type SkipReason =
  | { kind: "noWheel"; platforms: string[] }
  | { kind: "sourceOnly" }
  | { kind: "requiresPython"; requiresPython: string };

/** One version of a project as the resolver sees it. */
export interface Candidate {
  version: Version;
  /** Normalized version text. */
  text: string;
  prerelease: boolean;
  /** PEP 592: set when every usable file of the version is yanked. */
  yanked?: true | string;
  /** Compatible wheels, best tag first; empty when the version is skipped. */
  wheels: DistributionFile[];
  skip?: SkipReason;
}

/** Options for {@link projectCandidates}. */
export interface ProjectCandidatesOptions {
  ranking: TagRanking;
  pythonVersion: Version;
}

/**
 * Groups a project's files by version, newest first, keeping for each version the wheels the
 * target accepts (best tag first) or the reason there are none. Files with names that do not
 * parse are ignored, as pip and uv ignore them.
 *
 * @example
 * const candidates = projectCandidates(await source.listFiles("idna"), { ranking, pythonVersion: parseVersion("3.14.2") });
 */
export function projectCandidates(files: readonly DistributionFile[], options: ProjectCandidatesOptions): Candidate[] {
  const byVersion = new Map<string, { version: Version; wheels: Array<{ file: DistributionFile; rank: number; order: number }>; other: DistributionFile[]; sdist: boolean; platforms: Set<string>; requiresPython?: string }>();
  files.forEach((file, order) => {
    const parsed = parseFilename(file.filename);
    if (!parsed) return;
    const key = formatVersion(parsed.version);
    let entry = byVersion.get(key);
    if (!entry) byVersion.set(key, (entry = { version: parsed.version, wheels: [], other: [], sdist: false, platforms: new Set() }));
    if (!parsed.tags) {
      entry.sdist = true;
      return;
    }
    if (file.requiresPython !== undefined && !pythonAllowed(file.requiresPython, options.pythonVersion)) {
      entry.requiresPython = file.requiresPython;
      return;
    }
    const rank = wheelTagRank(parsed.tags, options.ranking);
    if (rank === undefined) {
      for (const tag of parsed.tags) entry.platforms.add(describePlatform(tag));
      return;
    }
    entry.wheels.push({ file, rank, order });
  });
  const candidates: Candidate[] = [];
  for (const [text, entry] of byVersion) {
    const wheels = entry.wheels.sort((a, b) => a.rank - b.rank || a.order - b.order).map((w) => w.file);
    const candidate: Candidate = { version: entry.version, text, prerelease: isPrerelease(entry.version), wheels };
    if (wheels.length === 0) {
      candidate.skip = entry.requiresPython !== undefined
        ? { kind: "requiresPython", requiresPython: entry.requiresPython }
        : entry.platforms.size > 0 ? { kind: "noWheel", platforms: [...entry.platforms].sort() } : { kind: "sourceOnly" };
    } else {
      const unyanked = wheels.filter((w) => !w.yanked);
      if (unyanked.length === 0) candidate.yanked = typeof wheels[0]!.yanked === "string" ? (wheels[0]!.yanked as string) : true;
      else candidate.wheels = unyanked;
    }
    candidates.push(candidate);
  }
  return candidates.sort((a, b) => compareVersions(b.version, a.version));
}

function pythonAllowed(requiresPython: string, python: Version): boolean {
  const set = tryParseSpecifierSet(requiresPython);
  // pip ignores a Requires-Python it cannot parse; so does kiln.
  return set === undefined || set.contains(python, { prereleases: true });
}

/**
 * The version and tags of a wheel filename, or just the version of a source distribution.
 *
 * @example
 * parseFilename("idna-3.10-py3-none-any.whl"); // { version: 3.10, tags: [py3-none-any] }
 */
export function parseFilename(filename: string): { version: Version; tags?: Tag[] } | undefined {
  if (filename.endsWith(".whl")) {
    const parts = filename.slice(0, -4).split("-");
    if (parts.length !== 5 && parts.length !== 6) return undefined;
    const version = tryParseVersion(parts[1]!);
    const tags = tryParseTag(parts.slice(-3).join("-"));
    return version && tags ? { version, tags } : undefined;
  }
  const stem = filename.match(/^(.*)\.(tar\.gz|zip|tar\.bz2|tar\.xz|tgz|tar)$/)?.[1];
  if (!stem || stem.lastIndexOf("-") < 1) return undefined;
  const version = tryParseVersion(stem.slice(stem.lastIndexOf("-") + 1));
  return version ? { version } : undefined;
}

/** A platform family in words, for "wheels only for Linux and macOS". */
function describePlatform(tag: Tag): string {
  const platform = tag.platform.toLowerCase();
  if (platform === "any") return `${tag.interpreter}-${tag.abi}-any`;
  if (/^(many|musl)?linux/.test(platform)) return "Linux";
  if (platform.startsWith("macosx")) return "macOS";
  if (platform.startsWith("win")) return "Windows";
  if (/^(pyemscripten|pyodide|emscripten)_/.test(platform)) return platform;
  if (platform.startsWith("ios")) return "iOS";
  if (platform.startsWith("android")) return "Android";
  return platform;
}
