import { isKilnError, silentReporter, type Reporter } from "../core/index.js";
import { listVersionedFiles, type DistributionFile, type PackageSource, type PyodidePackageInfo, type VersionedFiles } from "../index/index.js";
import { parseCoreMetadata } from "../metadata/index.js";
import { formatVersion, parseVersion, tryParseSpecifierSet, VersionRange, type Version } from "../pep440/index.js";
import { evaluateMarker, normalizeName, parseRequirement, type Requirement } from "../pep508/index.js";
import { tagRanking, type TagRanking } from "../tags/index.js";
import { pep440Algebra, rangeOf } from "./pep440-algebra.js";
import { isUsableWheel, projectCandidates, type Candidate, type SkipReason } from "./project-candidates.js";
import { packageId, parsePackageId, rootPackage } from "./python-packages.js";
import type { Dependencies, DependencyProvider } from "./solve.js";
import { distributionChoice, type BinaryPolicy, type SdistMetadataProvider } from "./source-distributions.js";
import { targetTags, type TargetEnvironment } from "./target-environment.js";
import { decodeWheelMetadata, encodeWheelMetadata, type WheelMetadataCache } from "./wheel-metadata-cache.js";

/** Options for {@link PythonProvider}. */
export interface PythonProviderOptions {
  source: PackageSource;
  target: TargetEnvironment;
  /** The user's requirements (PEP 508 text), evaluated against the target's markers. */
  requirements: readonly string[];
  /** Constraints (`-c`): they narrow a package's versions only when something requires it. */
  constraints?: readonly string[];
  /** Allow pre-releases of every package (`--pre`). */
  pre?: boolean;
  /** Versions to try first (already locked or installed), by normalized name. */
  preferences?: ReadonlyMap<string, string>;
  /** Builds sdists' metadata; without it only wheels are used (sdist-only versions are skipped). */
  sdists?: SdistMetadataProvider;
  /** pip's `--only-binary`/`--no-binary` (with `sdists`). */
  binaryPolicy?: BinaryPolicy;
  /** How many metadata downloads may run at once while prefetching; default 16. */
  concurrency?: number;
  reporter?: Reporter;
  /**
   * Parsed metadata of wheels from earlier runs (see {@link WheelMetadataCache}). Only with a
   * source whose `fetchMetadata` gives each wheel's own METADATA: a record stands for the wheel,
   * whichever source read it (a source that rewrites metadata, such as `--no-deps` stripping
   * Requires-Dist, must resolve without the cache).
   */
  metadataCache?: WheelMetadataCache;
}

/** What the provider learned about one package version's metadata. */
interface VersionMetadata {
  requiresDist: Requirement[];
  requiresPython?: string;
  extras: Set<string>;
  /** False where the source does not list extras (the Pyodide repository's lock). */
  extrasKnown?: false;
  displayName: string;
  version: Version;
}

/**
 * The dependency provider for Python packages on one target environment: candidates from a
 * package index (wheels only, best tag first), `Requires-Dist` from core metadata, extras as
 * virtual packages, constraints applied to every edge, uv's pre-release rule (a package's
 * pre-releases are candidates with `--pre`, when a first-party requirement names one, or when
 * the package has nothing else) and yanked versions only when pinned with `==`/`===`.
 *
 * @example
 * const provider = new PythonProvider({ source, target: targetForAbi(), requirements: ["requests"] });
 */
export class PythonProvider implements DependencyProvider<Version, VersionRange> {
  private readonly ranking: TagRanking;
  private readonly pythonVersion: Version;
  private readonly listings = new Map<string, Promise<Candidate[]>>();
  /** Candidates from a cached listing being revalidated, or undefined when there is none (see {@link prefetch}). */
  private readonly staleListings = new Map<string, Promise<Candidate[] | undefined>>();
  private readonly listed = new Map<string, Candidate[]>();
  private readonly warnedExtras = new Set<string>();
  private readonly metadata = new Map<string, Promise<VersionMetadata>>();
  /** Metadata by wheel (URL and sha256): a file's metadata never changes, whichever listing named it. */
  private readonly wheelMetadata = new Map<string, Promise<VersionMetadata>>();
  private readonly constraints = new Map<string, VersionRange>();
  private readonly explicitPrereleases = new Set<string>();
  private readonly pinned = new Map<string, Set<string>>();
  private readonly rootDependencies: Map<string, VersionRange>;
  private readonly reporter: Reporter;
  private readonly prefetched = new Set<string>();
  /** Projects whose sdist needs a compiler, with the build's message: none of their sdists is tried again. */
  private readonly nativeProjects = new Map<string, string>();
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** Versions passed over, with why, for hints after a failure. */
  readonly skipped = new Map<string, Map<string, SkipReason | { kind: "yanked"; reason?: string } | { kind: "prerelease" }>>();
  /** Requirements evaluated per package version, for the lock's dependency lists. */
  readonly dependencyNames = new Map<string, Set<string>>();

  constructor(private readonly options: PythonProviderOptions) {
    this.ranking = tagRanking(targetTags(options.target));
    this.pythonVersion = parseVersion(options.target.pythonVersion);
    this.reporter = options.reporter ?? silentReporter;
    for (const text of options.constraints ?? []) {
      const requirement = parseRequirement(text);
      if (!this.applies(requirement, [])) continue;
      const name = normalizeName(requirement.name);
      this.notePolicy(name, requirement);
      const range = rangeOf(requirement.specifier);
      const previous = this.constraints.get(name);
      this.constraints.set(name, previous ? previous.intersection(range) : range);
    }
    const rootRequirements = options.requirements.map((text) => parseRequirement(text));
    for (const requirement of rootRequirements) this.notePolicy(normalizeName(requirement.name), requirement);
    this.rootDependencies = this.edges(rootRequirements, []);
    this.prefetch(this.rootDependencies);
  }

  private notePolicy(name: string, requirement: Requirement): void {
    if (requirement.specifier.namesPrerelease) this.explicitPrereleases.add(name);
    for (const specifier of requirement.specifier.specifiers) {
      const exact = specifier.operator === "===" ? specifier.version.toLowerCase()
        : specifier.operator === "==" && !specifier.wildcard && specifier.parsedVersion ? formatVersion(specifier.parsedVersion) : undefined;
      if (exact === undefined) continue;
      const set = this.pinned.get(name) ?? new Set<string>();
      set.add(exact);
      this.pinned.set(name, set);
    }
  }

  private applies(requirement: Requirement, extras: readonly string[]): boolean {
    if (!requirement.marker) return true;
    return evaluateMarker(requirement.marker, this.options.target.markerEnvironment, { extras });
  }

  /** The solver edges for some requirements: base names and `name[extra]`, ranges intersected with constraints. */
  private edges(requirements: readonly Requirement[], extras: readonly string[]): Map<string, VersionRange> {
    const edges = new Map<string, VersionRange>();
    for (const requirement of requirements) {
      if (!this.applies(requirement, extras)) continue;
      const name = normalizeName(requirement.name);
      let range = rangeOf(requirement.specifier);
      const constraint = this.constraints.get(name);
      if (constraint) range = range.intersection(constraint);
      for (const id of [name, ...requirement.extras.map((extra) => packageId(name, normalizeName(extra)))]) {
        const previous = edges.get(id);
        edges.set(id, previous ? previous.intersection(range) : range);
      }
    }
    return edges;
  }

  /** Every usable version of a project, newest first (memoized; the listing starts at most once). */
  candidates(name: string): Promise<Candidate[]> {
    let listing = this.listings.get(name);
    if (!listing) {
      let settleStale: (candidates: Candidate[] | undefined) => void = () => {};
      this.staleListings.set(name, new Promise((resolve) => (settleStale = resolve)));
      const options = { ranking: this.ranking, pythonVersion: this.pythonVersion };
      let stale: { files: VersionedFiles; candidates: Candidate[] } | undefined;
      const onStale = (files: VersionedFiles) => {
        stale = { files, candidates: projectCandidates(files, options) };
        settleStale(stale.candidates);
      };
      listing = listVersionedFiles(this.options.source, name, { isUsable: (file) => isUsableWheel(file, this.ranking), onStale })
        .then((files) => {
          // A revalidated page that did not change comes back as the very same listing.
          const candidates = files === stale?.files ? stale.candidates : projectCandidates(files, options);
          this.listed.set(name, candidates);
          return candidates;
        })
        .finally(() => settleStale(undefined));
      this.listings.set(name, listing);
    }
    return listing;
  }

  private allowsPrereleases(name: string, candidates: readonly Candidate[]): boolean {
    return this.options.pre === true || this.explicitPrereleases.has(name) || candidates.every((c) => c.prerelease);
  }

  private isPinned(name: string, candidate: Candidate): boolean {
    return this.pinned.get(name)?.has(candidate.text) ?? false;
  }

  /** The version the solver should try: a preference if it fits, else the newest usable one. */
  async chooseVersion(id: string, range: VersionRange): Promise<Version | undefined> {
    if (id === rootPackage) return parseVersion("0");
    const { name } = parsePackageId(id);
    const candidates = await this.candidates(name);
    const allowPre = this.allowsPrereleases(name, candidates);
    const usable = (candidate: Candidate) => this.usable(name, candidate, allowPre);
    return this.pick(name, candidates, range, usable)?.version;
  }

  /** The candidate to try in `range`: the preferred version (locked or installed) if it fits, else the newest that does. */
  private pick(name: string, candidates: readonly Candidate[], range: VersionRange, usable: (candidate: Candidate) => boolean): Candidate | undefined {
    const preferred = this.options.preferences?.get(name);
    if (preferred !== undefined) {
      const candidate = candidates.find((c) => c.text === preferred || formatVersion(c.version) === preferred);
      if (candidate && range.contains(candidate.version) && usable(candidate)) return candidate;
    }
    return candidates.find((candidate) => range.contains(candidate.version) && usable(candidate));
  }

  private usable(name: string, candidate: Candidate, allowPre: boolean): boolean {
    const note = (reason: Parameters<Map<string, SkipReason>["set"]>[1] | { kind: "yanked"; reason?: string } | { kind: "prerelease" }) => {
      const map = this.skipped.get(name) ?? new Map();
      map.set(candidate.text, reason);
      this.skipped.set(name, map);
      return false;
    };
    if (candidate.prerelease && !allowPre) return note({ kind: "prerelease" });
    const kind = this.distribution(name, candidate);
    if (kind === undefined) return note(this.skipReason(name, candidate));
    const yanked = kind === "wheel" ? candidate.yanked : candidate.sdist?.yanked || undefined;
    if (yanked && !this.isPinned(name, candidate)) {
      return note(typeof yanked === "string" ? { kind: "yanked", reason: yanked } : { kind: "yanked" });
    }
    return true;
  }

  /**
   * Whether a version installs from a wheel or is built from its sdist (pip's preference: a
   * compatible wheel first, the sdist when there is none, unless `--only-binary`/`--no-binary`
   * say otherwise); undefined when neither may be used.
   */
  private distribution(name: string, candidate: Candidate): "wheel" | "sdist" | undefined {
    const choice = distributionChoice(name, this.options.binaryPolicy, this.options.sdists !== undefined);
    if (choice !== "sdists" && candidate.wheels.length > 0) return "wheel";
    if (choice !== "wheels" && candidate.sdist !== undefined && !this.nativeProjects.has(name)) return "sdist";
    return undefined;
  }

  private skipReason(name: string, candidate: Candidate): SkipReason {
    const native = this.nativeProjects.get(name);
    if (native !== undefined && candidate.sdist) return { kind: "nativeSdist", message: native };
    const choice = distributionChoice(name, this.options.binaryPolicy, this.options.sdists !== undefined);
    if (choice === "sdists") return { kind: "noSdist" };
    return candidate.skip ?? { kind: "sourceOnly" };
  }

  async getDependencies(id: string, version: Version): Promise<Dependencies<VersionRange>> {
    if (id === rootPackage) return { kind: "available", dependencies: this.rootDependencies };
    const { name, extra } = parsePackageId(id);
    const candidate = (await this.candidates(name)).find((c) => formatVersion(c.version) === formatVersion(version));
    if (!candidate || this.distribution(name, candidate) === undefined) return { kind: "unavailable", reason: "has no usable wheel" };
    let metadata: VersionMetadata;
    try {
      metadata = await this.metadataOf(name, candidate);
    } catch (error) {
      if (isKilnError(error) && error.code === "nativeBuildUnsupported") {
        this.nativeProjects.set(name, error.message);
        return { kind: "unavailable", reason: "has no wheel for the target, and its sdist needs a compiler for Emscripten" };
      }
      if (!isKilnError(error) || !["invalidRequirement", "invalidMarker", "invalidSpecifier", "invalidMetadata"].includes(error.code)) throw error;
      return { kind: "unavailable", reason: `has metadata kiln cannot read (${error.message})` };
    }
    if (formatVersion(metadata.version) !== candidate.text) {
      return { kind: "unavailable", reason: `has metadata for another version (${formatVersion(metadata.version)})` };
    }
    if (metadata.requiresPython !== undefined) {
      const set = tryParseSpecifierSet(metadata.requiresPython);
      if (set && !set.contains(this.pythonVersion, { prereleases: true })) {
        return { kind: "unavailable", reason: `requires Python ${metadata.requiresPython} (the target has ${this.options.target.pythonVersion})` };
      }
    }
    let dependencies: Map<string, VersionRange>;
    if (extra === undefined) {
      dependencies = this.edges(metadata.requiresDist, []);
    } else {
      if (metadata.extrasKnown !== false && !metadata.extras.has(extra)) this.warnMissingExtra(metadata, extra);
      // Only what the extra adds: the base package (pinned to this version) brings the rest.
      const base = new Set(this.edges(metadata.requiresDist, []).keys());
      dependencies = new Map([...this.edges(metadata.requiresDist, [extra])].filter(([dependency]) => !base.has(dependency)));
      dependencies.set(name, pep440Algebra.singleton(version));
    }
    const names = this.dependencyNames.get(`${name}==${candidate.text}`) ?? new Set<string>();
    for (const dependency of dependencies.keys()) {
      const base = parsePackageId(dependency).name;
      if (base !== name) names.add(base);
    }
    this.dependencyNames.set(`${name}==${candidate.text}`, names);
    this.prefetch(dependencies);
    return { kind: "available", dependencies };
  }

  /** pip's warning for an extra the chosen version does not declare (its requirement then adds nothing), once per version and extra. */
  private warnMissingExtra(metadata: VersionMetadata, extra: string): void {
    const key = `${normalizeName(metadata.displayName)}==${formatVersion(metadata.version)}[${extra}]`;
    if (this.warnedExtras.has(key)) return;
    this.warnedExtras.add(key);
    this.reporter.warn(`${metadata.displayName} ${formatVersion(metadata.version)} does not provide the extra '${extra}'`);
  }

  /** The metadata of a candidate, read from its best wheel or prepared from its sdist (memoized). */
  metadataOf(name: string, candidate: Candidate): Promise<VersionMetadata> {
    const key = `${name}==${candidate.text}`;
    let pending = this.metadata.get(key);
    if (!pending) {
      const sdist = this.distribution(name, candidate) === "sdist" ? candidate.sdist : undefined;
      pending = sdist
        ? this.options.sdists!.metadata(sdist).then((text) => readMetadata(text, name, `METADATA of ${sdist.filename}`))
        : this.wheelMetadataOf(name, candidate.wheels[0]!);
      this.metadata.set(key, pending);
    }
    return pending;
  }

  private wheelMetadataOf(name: string, wheel: DistributionFile): Promise<VersionMetadata> {
    const key = `${wheel.url} ${wheel.hashes.sha256 ?? ""}`;
    let pending = this.wheelMetadata.get(key);
    if (!pending) {
      pending = wheel.pyodide
        ? Promise.resolve(pyodideMetadata(wheel.pyodide))
        : this.options.metadataCache
          ? this.cachedWheelMetadata(name, wheel, this.options.metadataCache)
          : this.readWheelMetadata(name, wheel);
      this.wheelMetadata.set(key, pending);
    }
    return pending;
  }

  private readWheelMetadata(name: string, wheel: DistributionFile): Promise<VersionMetadata> {
    return this.limited(() => this.options.source.fetchMetadata(wheel)).then((text) => readMetadata(text, name, `METADATA of ${wheel.filename}`));
  }

  /**
   * A wheel's metadata from the cache when it holds a record under the wheel's key, else read
   * and parsed, and stored only if the key still names the wheel afterwards (a local file
   * replaced while it was read gives metadata of neither version).
   */
  private async cachedWheelMetadata(name: string, wheel: DistributionFile, cache: WheelMetadataCache): Promise<VersionMetadata> {
    const key = await cache.keyOf(wheel);
    const stored = key === undefined ? undefined : decodeWheelMetadata(cache.get(key));
    if (stored) return stored;
    const metadata = await this.readWheelMetadata(name, wheel);
    if (key !== undefined && (await cache.keyOf(wheel)) === key) cache.set(key, encodeWheelMetadata(metadata));
    return metadata;
  }

  /** The wheels a solved version installs from, best first; empty when it is built from its sdist. */
  async wheelsOf(name: string, version: Version): Promise<DistributionFile[]> {
    const text = formatVersion(version);
    const candidate = (await this.candidates(name)).find((c) => c.text === text);
    return candidate && this.distribution(name, candidate) === "wheel" ? candidate.wheels : [];
  }

  /** The sdist a solved version is built from, when it has no wheel to install. */
  async sdistOf(name: string, version: Version): Promise<DistributionFile | undefined> {
    const text = formatVersion(version);
    const candidate = (await this.candidates(name)).find((c) => c.text === text);
    return candidate && this.distribution(name, candidate) === "sdist" ? candidate.sdist : undefined;
  }

  async displayNameOf(name: string, version: Version): Promise<string> {
    const candidate = (await this.candidates(name)).find((c) => c.text === formatVersion(version));
    return candidate ? (await this.metadataOf(name, candidate)).displayName : name;
  }

  /** The usable versions of a listed project (normalized text, newest first; yanked and pre-releases included); undefined when it was not listed. */
  listedVersions(name: string): string[] | undefined {
    const skipped = this.skipped.get(name);
    return this.listed.get(name)?.filter((candidate) => candidate.skip === undefined && !skipped?.has(candidate.text)).map((candidate) => candidate.text);
  }

  /**
   * The simplest range with the same listed versions as `range` (`>=1.0.1, <1.1 || >1.1` becomes
   * `>=1.0.1` when only 1.0, 1.1 and 1.2 exist), for explanations; `range` itself when none fit.
   */
  simplifyRange(name: string, range: VersionRange): VersionRange {
    const ascending = [...(this.listed.get(name) ?? [])].reverse();
    let simplified = VersionRange.empty();
    let start: number | undefined;
    ascending.forEach((candidate, index) => {
      const inside = range.contains(candidate.version);
      if (inside && start === undefined) start = index;
      if (start !== undefined && (!inside || index === ascending.length - 1)) {
        const lower = start === 0 ? undefined : ascending[start]!;
        const upper = inside ? undefined : candidate;
        // Specifiers cannot bound by a local version; such ranges are printed as they are.
        if (lower?.version.local || upper?.version.local) simplified = simplified.union(range);
        else simplified = simplified.union(rangeOf([lower && `>=${lower.text}`, upper && `<${upper.text}`].filter(Boolean).join(", ")));
        start = undefined;
      }
    });
    return simplified.isEmpty() ? range : simplified;
  }

  /**
   * Starts listing the dependencies and reading the metadata of the versions likely to be picked,
   * and follows their dependencies in turn, so the index is read breadth-first in parallel
   * instead of one solver step at a time. A cached listing that is being revalidated is followed
   * at once too: the pages its likely versions lead to are requested while its own request is
   * under way, instead of one dependency level per round trip. What the solver decides still
   * comes from the revalidated listings only.
   */
  private prefetch(dependencies: ReadonlyMap<string, VersionRange>): void {
    for (const [id, range] of dependencies) {
      const { name, extra } = parsePackageId(id);
      const follow = async (candidates: Candidate[] | undefined) => {
        if (!candidates) return;
        const allowPre = this.allowsPrereleases(name, candidates);
        // The version chooseVersion will likely pick (a locked one first), judged without noting skips.
        const likely = this.pick(name, candidates, range, (c) => (allowPre || !c.prerelease) && this.distribution(name, c) !== undefined && !c.yanked);
        // Sdists are prepared only when the solver asks: each one runs its build backend.
        if (!likely || this.distribution(name, likely) !== "wheel") return;
        const wheel = likely.wheels[0]!;
        const key = `${id} ${wheel.url} ${wheel.hashes.sha256 ?? ""}`;
        if (this.prefetched.has(key)) return;
        this.prefetched.add(key);
        const metadata = await this.wheelMetadataOf(name, wheel);
        this.prefetch(this.edges(metadata.requiresDist, extra === undefined ? [] : [extra]));
      };
      const failed = (error: unknown) => this.reporter.debug(`Prefetching ${name} failed: ${String(error)}`);
      const listing = this.candidates(name);
      void this.staleListings.get(name)!.then(follow).catch(failed);
      listing.then(follow).catch(failed);
    }
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    const limit = this.options.concurrency ?? 16;
    if (this.running >= limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

/**
 * What the runtime's Pyodide repository says a package needs: its lock file's `depends`, as
 * Pyodide's loader and micropip read them (any version; the repository's builds go together).
 * Nothing is fetched, so a lock that uses the repository needs no access to its base URL.
 */
function pyodideMetadata(info: PyodidePackageInfo): VersionMetadata {
  return { requiresDist: info.depends.map((name) => parseRequirement(name)), extras: new Set(), extrasKnown: false, displayName: info.name, version: parseVersion(info.version) };
}

function readMetadata(text: string, name: string, source: string): VersionMetadata {
  // Lenient like pip and uv: an unreadable optional field does not make a version unusable.
  const core = parseCoreMetadata(text, { lenient: true, source });
  const metadata: VersionMetadata = {
    requiresDist: core.requiresDist,
    extras: new Set(core.providesExtra.map((extra) => normalizeName(extra))),
    displayName: core.name || name,
    version: core.version,
  };
  if (core.requiresPython !== undefined && core.requiresPython.specifiers.length > 0) metadata.requiresPython = core.requiresPython.toString();
  return metadata;
}
