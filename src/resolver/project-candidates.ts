import { groupFilesByVersion, type DistributionFile, type VersionedFiles } from "../index/index.js";
import { compareVersions, formatVersion, isPrerelease, tryParseSpecifierSet, tryParseVersion, type Version } from "../pep440/index.js";
import { wheelTagRank, type Tag, type TagRanking } from "../tags/index.js";
import { tryParseWheelFilename } from "../wheel-name/index.js";

/** Why a version of a project cannot be installed on the target, for hints. */
export type SkipReason =
  | { kind: "noWheel"; platforms: string[] }
  | { kind: "sourceOnly" }
  /** Its only files are named like wheels but their names do not parse (ignored, as pip ignores them). */
  | { kind: "invalidWheelName"; filename: string }
  | { kind: "requiresPython"; requiresPython: string }
  /** `--no-binary` asked for the sdist and the version has none. */
  | { kind: "noSdist" }
  /** The project's sdist needs a compiler for Emscripten (what the build said). */
  | { kind: "nativeSdist"; message: string };

/** One version of a project as the resolver sees it. */
export interface Candidate {
  version: Version;
  /** Normalized version text. */
  text: string;
  prerelease: boolean;
  /** PEP 592: set when every usable file of the version is yanked. */
  readonly yanked: true | string | undefined;
  /** Compatible wheels, best tag first; empty when the version is skipped. */
  readonly wheels: DistributionFile[];
  readonly skip: SkipReason | undefined;
  /** The version's source distribution (`.tar.gz` preferred), when the target's Python may use it. */
  readonly sdist: DistributionFile | undefined;
}

/** Options for {@link projectCandidates}. */
export interface ProjectCandidatesOptions {
  ranking: TagRanking;
  pythonVersion: Version;
}

/**
 * A project's versions, newest first, keeping for each version the wheels the target accepts
 * (best tag first) or the reason there are none. Files with names that do not parse are
 * ignored, as pip and uv ignore them. A version's files are read (from a lazily decoded listing)
 * and their tags judged only when the version is looked at: projects list thousands of files,
 * and the resolver looks at a few versions of each.
 *
 * @example
 * const candidates = projectCandidates(await listVersionedFiles(source, "idna"), { ranking, pythonVersion: parseVersion("3.14.2") });
 */
export function projectCandidates(files: readonly DistributionFile[] | VersionedFiles, options: ProjectCandidatesOptions): Candidate[] {
  const listing = isFileArray(files) ? groupFilesByVersion(files) : files;
  const byVersion = new Map<string, { version: Version; texts: string[] }>();
  for (const text of listing.versions) {
    const version = tryParseVersion(text);
    if (!version) continue;
    const key = formatVersion(version);
    const entry = byVersion.get(key);
    if (entry) entry.texts.push(text);
    else byVersion.set(key, { version, texts: [text] });
  }
  const candidates = [...byVersion].map(([text, { version, texts }]) =>
    lazyCandidate(text, version, () => (texts.length === 1 ? listing.filesOf(texts[0]!) : texts.flatMap((t) => listing.filesOf(t))), options),
  );
  return candidates.sort((a, b) => compareVersions(b.version, a.version));
}

function isFileArray(files: readonly DistributionFile[] | VersionedFiles): files is readonly DistributionFile[] {
  return Array.isArray(files);
}

/**
 * Whether a file is a wheel whose tags fit the target: what a source combination asks to decide
 * whether to fall back to the runtime's Pyodide repository for a project.
 *
 * @example
 * isUsableWheel({ filename: "numpy-2.5.0-cp314-cp314-manylinux_2_28_x86_64.whl", … }, ranking); // false
 */
export function isUsableWheel(file: DistributionFile, ranking: TagRanking): boolean {
  if (isPyodideLibrary(file)) return true;
  if (!file.filename.endsWith(".whl")) return false;
  const tags = tryParseWheelFilename(file.filename)?.tags;
  return tags !== undefined && wheelTagRank(tags, ranking) !== undefined;
}

function lazyCandidate(text: string, version: Version, files: () => readonly DistributionFile[], options: ProjectCandidatesOptions): Candidate {
  let judged: Judgement | undefined;
  const judge = () => (judged ??= judgeVersion(files(), options));
  return {
    version,
    text,
    prerelease: isPrerelease(version),
    get wheels() {
      return judge().wheels;
    },
    get skip() {
      return judge().skip;
    },
    get yanked() {
      return judge().yanked;
    },
    get sdist() {
      return judge().sdist;
    },
  };
}

interface Judgement {
  wheels: DistributionFile[];
  skip?: SkipReason;
  yanked?: true | string;
  sdist?: DistributionFile;
}

function judgeVersion(files: readonly DistributionFile[], options: ProjectCandidatesOptions): Judgement {
  const sdist = bestSdist(files, options.pythonVersion);
  const judged = judgeWheels(files, options);
  return sdist ? { ...judged, sdist } : judged;
}

/** The sdist a build would use: `.tar.gz` (the sdist spec's format) before legacy `.zip`, unyanked first. */
function bestSdist(files: readonly DistributionFile[], python: Version): DistributionFile | undefined {
  const sdists = files.filter((file) => /\.(tar\.gz|zip)$/i.test(file.filename) && (file.requiresPython === undefined || pythonAllowed(file.requiresPython, python)));
  const rank = (file: DistributionFile) => (file.yanked ? 2 : 0) + (file.filename.toLowerCase().endsWith(".zip") ? 1 : 0);
  return sdists.sort((a, b) => rank(a) - rank(b))[0];
}

function judgeWheels(files: readonly DistributionFile[], options: ProjectCandidatesOptions): Judgement {
  const wheels: Array<{ file: DistributionFile; rank: number; order: number }> = [];
  const platforms = new Set<string>();
  let requiresPython: string | undefined;
  let invalid: string | undefined;
  files.forEach((file, order) => {
    if (isPyodideLibrary(file)) {
      wheels.push({ file, rank: 0, order });
      return;
    }
    if (!file.filename.endsWith(".whl")) return;
    const tags = tryParseWheelFilename(file.filename)?.tags;
    if (!tags) {
      invalid ??= file.filename;
      return;
    }
    if (file.requiresPython !== undefined && !pythonAllowed(file.requiresPython, options.pythonVersion)) {
      requiresPython = file.requiresPython;
      return;
    }
    const rank = wheelTagRank(tags, options.ranking);
    if (rank === undefined) for (const tag of tags) platforms.add(describePlatform(tag));
    else wheels.push({ file, rank, order });
  });
  const sorted = wheels.sort((a, b) => a.rank - b.rank || a.order - b.order).map((w) => w.file);
  if (sorted.length === 0) {
    const skip: SkipReason =
      requiresPython !== undefined ? { kind: "requiresPython", requiresPython }
      : platforms.size > 0 ? { kind: "noWheel", platforms: [...platforms].sort() }
      : invalid !== undefined && !files.some((file) => /\.(tar\.gz|zip)$/i.test(file.filename)) ? { kind: "invalidWheelName", filename: invalid }
      : { kind: "sourceOnly" };
    return { wheels: [], skip };
  }
  const unyanked = sorted.filter((w) => !w.yanked);
  if (unyanked.length > 0) return { wheels: unyanked };
  return { wheels: sorted, yanked: typeof sorted[0]!.yanked === "string" ? sorted[0]!.yanked : true };
}

/**
 * A shared library (or another non-wheel package) of the runtime's Pyodide repository: a zip
 * built for the runtime's exact ABI, which Pyodide loads from its lock file's `depends`.
 */
function isPyodideLibrary(file: DistributionFile): boolean {
  return file.pyodide !== undefined && file.pyodide.packageType !== "package";
}

/** Verdicts per target Python: a project's files repeat a handful of `requires-python` strings thousands of times. */
const verdicts = new WeakMap<Version, Map<string, boolean>>();

function pythonAllowed(requiresPython: string, python: Version): boolean {
  let known = verdicts.get(python);
  if (!known) verdicts.set(python, (known = new Map()));
  let allowed = known.get(requiresPython);
  if (allowed === undefined) {
    const set = tryParseSpecifierSet(requiresPython);
    // pip ignores a Requires-Python it cannot parse; so does kiln.
    allowed = set === undefined || set.contains(python, { prereleases: true });
    known.set(requiresPython, allowed);
  }
  return allowed;
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
