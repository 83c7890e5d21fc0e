import { KilnError, type Reporter } from "../core/index.js";
import { combineSources, urlFileName, type DistributionFile, type HttpSession, type LocalFiles, type PackageSource } from "../index/index.js";
import { compareVersions, formatVersion, tryParseVersion } from "../pep440/index.js";
import { formatMarker, normalizeName, parseRequirement, type Requirement } from "../pep508/index.js";
import { resolveRequirements, type BinaryPolicy, type ResolvedPackage, type SdistMetadataProvider, type TargetEnvironment, type WheelMetadataCache } from "../resolver/index.js";
import { parseWheelFilename } from "../wheel-name/index.js";
import { DirectFilesSource, directSourceUrl } from "./direct-files-source.js";
import { installedSourceUrl, preferInstalled, type InstalledCandidate } from "./installed-source.js";
import { withoutDependencies, withoutDependencyRecords } from "./without-dependencies.js";

/** What `pip install` was asked to do. */
export interface InstallRequest {
  /** PEP 508 requirements; `name @ URL` may name a wheel (`file:` URLs for local wheels). */
  requirements: readonly string[];
  /** Constraints (`-c`): they narrow versions of packages something requires. */
  constraints?: readonly string[];
  /** `--upgrade`: the named requirements move to their newest fitting version. */
  upgrade?: boolean;
  /**
   * pip's `--upgrade-strategy` for `--upgrade`: `only-if-needed` (the default) moves a dependency
   * only when its installed version does not fit; `eager` moves every package of the resolution
   * to its newest fitting version.
   */
  upgradeStrategy?: "only-if-needed" | "eager";
  /** `--upgrade-package NAME`: these move to their newest fitting version. */
  upgradePackages?: readonly string[];
  /** `--force-reinstall`: every package of the resolution is reinstalled. */
  forceReinstall?: boolean;
  /** Normalized names reinstalled even at the installed version (pip does so for projects built from a local directory or sdist). */
  reinstall?: readonly string[];
  /** `--no-deps`: install the named requirements only. */
  noDeps?: boolean;
  pre?: boolean;
}

/** Options for {@link planInstall}. */
export interface PlanInstallOptions {
  source: PackageSource;
  target: TargetEnvironment;
  /** What the environment holds now. */
  installed: readonly InstalledCandidate[];
  /** How `name @ URL` wheels are read: a session for http(s), local files for `file:`. */
  direct?: { session?: HttpSession; localFiles?: LocalFiles };
  /** Lets versions without a wheel for the target resolve through their sdist (see the resolver's option). */
  sdists?: SdistMetadataProvider;
  /** pip's `--only-binary`/`--no-binary`. */
  binaryPolicy?: BinaryPolicy;
  reporter?: Reporter;
  /** Parsed metadata of wheels from earlier runs (the resolver's `WheelMetadataCache`); read only, without Requires-Dist, with `noDeps`. */
  metadataCache?: WheelMetadataCache;
}

/** What happens to one package of the resolution. */
export type PlannedAction = "install" | "upgrade" | "downgrade" | "reinstall" | "keep";

/** One package of an install plan. */
export interface PlannedPackage {
  /** Normalized name. */
  name: string;
  displayName: string;
  version: string;
  action: PlannedAction;
  /** The version installed now, if any. */
  installedVersion?: string;
  /** The wheel to install (the sdist to build when `fromSource`); absent when the installed copy is kept. */
  wheel?: DistributionFile;
  /** `wheel` is an sdist: the version has no wheel for the target, so its wheel is built first. */
  fromSource?: boolean;
  /** Other compatible wheels of the same version, best first (for picking one by hash). */
  alternatives: DistributionFile[];
  /** Named on the command line or in a requirements file (pip writes REQUESTED). */
  requested: boolean;
  /** Given as a path or URL (PEP 610 direct_url.json is written). */
  direct: boolean;
  extras: string[];
  dependencies: string[];
}

/** A resolved plan, or why there is none. */
export type PlanInstallResult =
  | {
      kind: "planned";
      packages: PlannedPackage[];
      target: TargetEnvironment;
      source: PackageSource;
      /** The packages' own metadata (with Requires-Dist even under `--no-deps`), for reports. */
      metadataSource: PackageSource;
    }
  | { kind: "unsatisfiable"; explanation: string; hints: string[] };

/**
 * Decides what `pip install` does: resolves the requirements for the environment's target with
 * pip's upgrade strategy "only if needed" — an installed version that satisfies the requirements
 * is kept (and the index is not even asked about it) unless `--upgrade`, `--upgrade-package` or
 * `--force-reinstall` says otherwise — and direct references (`name @ URL`, local wheels) as the
 * only candidate of their project.
 *
 * @example
 * const result = await planInstall({ requirements: ["pytest"] }, { source, target, installed: [] });
 * if (result.kind === "planned") result.packages.filter((p) => p.action !== "keep");
 */
export async function planInstall(request: InstallRequest, options: PlanInstallOptions): Promise<PlanInstallResult> {
  const { requirements, directFiles } = splitDirectReferences(request.requirements);
  const requested = new Set(requirements.map((text) => normalizeName(parseRequirement(text).name)));
  const direct = new DirectFilesSource({ files: directFiles, ...options.direct });
  const withDirect = directFiles.length ? combineSources([direct, options.source]) : options.source;
  const source = request.noDeps ? withoutDependencies(withDirect) : withDirect;
  const moving = new Set([...(request.upgrade ? requested : []), ...(request.upgradePackages ?? []).map(normalizeName), ...direct.projects]);
  const eager = request.upgrade === true && request.upgradeStrategy === "eager";
  const keep = new Set(request.forceReinstall || eager ? [] : options.installed.map((dist) => normalizeName(dist.name)).filter((name) => !moving.has(name)));
  const preferences = new Map(options.installed.filter((dist) => keep.has(normalizeName(dist.name))).map((dist) => [normalizeName(dist.name), dist.version]));
  const resolve = (mode: "installed-only" | "also-installed") => {
    const withInstalled = preferInstalled(source, { installed: options.installed, keep, mode });
    const resolveOptions = {
      source: withInstalled,
      target: options.target,
      constraints: request.constraints ?? [],
      pre: request.pre ?? false,
      preferences,
      ...(options.sdists ? { sdists: options.sdists } : {}),
      ...(options.binaryPolicy ? { binaryPolicy: options.binaryPolicy } : {}),
      // Its records are wheels' own metadata; --no-deps resolves from metadata stripped of
      // Requires-Dist (withoutDependencies), so it reads them stripped and stores nothing.
      ...(options.metadataCache ? { metadataCache: request.noDeps ? withoutDependencyRecords(options.metadataCache) : options.metadataCache } : {}),
    };
    return resolveRequirements(requirements, options.reporter ? { ...resolveOptions, reporter: options.reporter } : resolveOptions).then((result) => ({ result, source: withInstalled }));
  };
  let attempt = await resolve("installed-only");
  if (attempt.result.kind === "unsatisfiable" && keep.size > 0) attempt = await resolve("also-installed");
  const { result } = attempt;
  if (result.kind === "unsatisfiable") return result;
  const installedByName = new Map(options.installed.map((dist) => [normalizeName(dist.name), dist]));
  const packages = result.packages.map((resolved) => plannedPackage(resolved, { installed: installedByName.get(resolved.name), request, requested }));
  return { kind: "planned", packages, target: result.target, source: attempt.source, metadataSource: withDirect };
}

function plannedPackage(
  resolved: ResolvedPackage,
  context: { installed: InstalledCandidate | undefined; request: InstallRequest; requested: ReadonlySet<string> },
): PlannedPackage {
  const version = formatVersion(resolved.version);
  const [wheel, ...alternatives] = resolved.sdist ? [resolved.sdist] : resolved.wheels;
  const installedVersion = context.installed?.version;
  const action = actionFor(resolved, installedVersion, context.request.forceReinstall === true || (context.request.reinstall?.includes(resolved.name) ?? false));
  const planned: PlannedPackage = {
    name: resolved.name,
    displayName: resolved.displayName,
    version,
    action,
    alternatives: alternatives.filter((file) => file.indexUrl !== installedSourceUrl),
    requested: context.requested.has(resolved.name),
    direct: wheel?.indexUrl === directSourceUrl,
    extras: resolved.extras,
    dependencies: resolved.dependencies,
  };
  if (installedVersion !== undefined) planned.installedVersion = installedVersion;
  if (resolved.sdist) planned.fromSource = true;
  if (wheel && wheel.indexUrl !== installedSourceUrl) planned.wheel = wheel;
  if (action !== "keep" && planned.wheel === undefined) {
    throw new KilnError("installFailed", `Cannot reinstall ${resolved.displayName} ${version}: no index offers a wheel of it`, {
      hint: "Give the wheel with --find-links or as a path",
    });
  }
  return planned;
}

function actionFor(resolved: ResolvedPackage, installedVersion: string | undefined, forceReinstall: boolean): PlannedAction {
  if (installedVersion === undefined) return "install";
  const installed = tryParseVersion(installedVersion);
  const order = installed === undefined ? 1 : compareVersions(resolved.version, installed);
  if (order === 0) return forceReinstall ? "reinstall" : "keep";
  return order > 0 ? "upgrade" : "downgrade";
}

/**
 * Turns `name @ URL-of-a-wheel` requirements into `name==version` plus the wheel as a direct
 * file, as pip pins a direct reference to the file it names. The URL's `#sha256=` (or other
 * hash) fragment becomes the file's expected hash.
 *
 * @example
 * splitDirectReferences(["demo @ file:///w/demo-1.0-py3-none-any.whl"]).requirements; // ["demo==1.0"]
 */
export function splitDirectReferences(texts: readonly string[]): { requirements: string[]; directFiles: DistributionFile[] } {
  const requirements: string[] = [];
  const directFiles: DistributionFile[] = [];
  for (const text of texts) {
    const requirement = parseRequirement(text);
    if (requirement.url === undefined) {
      requirements.push(text);
      continue;
    }
    const file = directFile(requirement, text);
    directFiles.push(file);
    const version = formatVersion(parseWheelFilename(file.filename).version);
    const extras = requirement.extras.length ? `[${requirement.extras.join(",")}]` : "";
    requirements.push(`${requirement.name}${extras}==${version}${requirement.marker ? `; ${formatMarker(requirement.marker)}` : ""}`);
  }
  return { requirements, directFiles };
}

function directFile(requirement: Requirement, text: string): DistributionFile {
  let url: URL;
  try {
    url = new URL(requirement.url!);
  } catch {
    throw new KilnError("invalidRequirement", `Cannot install "${text}": "${requirement.url}" is not a URL`, { hint: "Give an absolute URL or a path to a .whl file" });
  }
  if (/^(git|hg|svn|bzr)\+/.test(url.protocol)) {
    throw new KilnError("invalidRequirement", `Cannot install "${text}": version-control URLs need a build step kiln does not run`, {
      hint: "Build a wheel from the checkout and install that",
    });
  }
  const filename = urlFileName(url);
  if (filename === undefined) {
    throw new KilnError("invalidRequirement", `Cannot install "${text}": "${requirement.url}" does not end in a plain file name`, {
      hint: "Check the URL's last segment: a malformed %-escape or an escaped / cannot name a wheel",
    });
  }
  if (!filename.endsWith(".whl")) {
    throw new KilnError("invalidRequirement", `Cannot install "${text}": ${filename || url.href} is not a wheel`, {
      hint: "kiln installs wheels only; build the project into a wheel first",
    });
  }
  const wheelName = parseWheelFilename(filename);
  if (wheelName.name !== normalizeName(requirement.name)) {
    throw new KilnError("invalidRequirement", `Cannot install "${text}": the wheel ${filename} is of ${wheelName.name}, not ${requirement.name}`);
  }
  const hashes: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(url.hash.slice(1))) if (/^(sha256|sha384|sha512|md5|sha1|sha224)$/.test(name)) hashes[name] = value.toLowerCase();
  url.hash = "";
  return { filename, url: url.href, hashes, indexUrl: directSourceUrl };
}
