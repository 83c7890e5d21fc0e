import { digestHex } from "../cache/index.js";
import { KilnError, silentReporter } from "../core/index.js";
import type { DistributionFile, PackageSource } from "../index/index.js";
import { installWheels, type InstallOptions, type InstallResult } from "./install-wheels.js";
import type { FileDigests } from "./file-digests.js";
import type { PlannedPackage } from "./plan-install.js";
import { isSharedLibraryArchive, sharedLibraryWheel } from "./shared-library-wheel.js";
import type { DirectUrl, WheelToInstall } from "./stage-wheel.js";

/** Options for {@link applyInstallPlan}. */
export interface ApplyInstallPlanOptions extends InstallOptions {
  /** Where the plan's wheels come from (the plan's own `source`). */
  source: PackageSource;
  /**
   * pip's hash-checking mode: normalized name → allowed `algorithm:hex` digests. When given,
   * every package to install must have an entry and its wheel must match one of them.
   */
  requiredHashes?: ReadonlyMap<string, readonly string[]>;
  /**
   * PEP 610 data for direct packages built from a project directory or an sdist, by normalized
   * name: it names what the user gave (`dir_info`, the sdist's `archive_info`), not the built wheel.
   */
  directUrls?: ReadonlyMap<string, DirectUrl>;
  /**
   * Builds the wheel of an sdist the resolution chose for a version without a wheel (src/build,
   * injected by the caller); such a plan fails without it.
   */
  buildSdist?: (file: DistributionFile, sdist: Uint8Array) => Promise<{ wheel: Uint8Array; filename: string }>;
  /** How many wheels download at once; default 8. */
  concurrency?: number;
  /**
   * Remembered digests of local wheels: with the wheel cache, a local wheel whose digest is
   * remembered and cached is not read. In hash-checking mode the remembered sha256 must be one
   * the requirements allow, as an index-listed sha256 must: it was computed by kiln from the
   * file's bytes, and the file has not changed since (a write changes its change time), so it
   * is as good as hashing the file again; uv trusts its cache's hashes of local wheels the same way.
   */
  fileDigests?: FileDigests;
}

/**
 * Downloads the wheels of the packages a plan installs (from the cache when it holds them,
 * verified against the index's hashes), then installs them all in one transaction: either every
 * package is installed and replaced versions removed, or nothing changes.
 *
 * @example
 * const plan = await planInstall(request, { source, target, installed });
 * if (plan.kind === "planned") await applyInstallPlan(plan.packages, { source: plan.source, scheme, fs });
 */
export async function applyInstallPlan(packages: readonly PlannedPackage[], options: ApplyInstallPlanOptions): Promise<InstallResult> {
  const reporter = options.reporter ?? silentReporter;
  const changing = packages.filter((p) => p.action !== "keep");
  if (changing.length === 0) return { installed: [], removed: [] };
  const chosen = changing.map((p) => ({ planned: p, file: chooseWheel(p, options.requiredHashes) }));
  if (options.requiredHashes) await checkHashesGiven(chosen, options.requiredHashes, options);
  const task = reporter.startTask("Downloading", chosen.reduce((sum, c) => sum + (c.file.size ?? 0), 0) || undefined);
  const wheels = await mapLimited(chosen, options.concurrency ?? 8, async ({ planned, file }): Promise<WheelToInstall> => {
    const fetch = () => options.source.fetchFile(file);
    // A shared-library archive is installed as the wheel made from it, cached under that wheel's sha256.
    const sharedLibrary = isSharedLibraryArchive(file);
    const listed = planned.fromSource || sharedLibrary ? undefined : (file.hashes.sha256?.toLowerCase() ?? (await rememberedDigest(file, options)));
    if (listed && (await isCachedAndAllowed(listed, planned, options))) {
      // The cache holds this exact file, verified and unpacked: it is fetched only if that
      // entry turns out to be damaged.
      task.advance(file.size ?? 0);
      return wheelToInstall(planned, file, fetch, listed, options);
    }
    let reported = 0;
    const remember = options.fileDigests && file.url.startsWith("file:") ? await options.fileDigests.beforeRead(file.url).catch(() => undefined) : undefined;
    const bytes = await options.source.fetchFile(file, {
      onProgress: (received) => {
        task.advance(received - reported);
        reported = received;
      },
    });
    if (reported === 0) task.advance(file.size ?? 0);
    const sha256 = await digestHex("sha256", bytes);
    await remember?.(sha256).catch(() => undefined);
    if (options.requiredHashes) await checkRequiredHash(planned, file, { bytes, sha256 }, options.requiredHashes);
    // PackageSource.fetchFile returns bytes already checked against the file's listed hashes, so
    // they are not passed again as expectedHashes (one hash pass over each wheel, not two).
    if (sharedLibrary) {
      const made = await sharedLibraryWheel(file, bytes);
      return wheelToInstall(planned, { ...file, filename: made.filename }, made.wheel, await digestHex("sha256", made.wheel), options);
    }
    if (!planned.fromSource) return wheelToInstall(planned, file, bytes, sha256, options);
    const built = await buildFromSource(planned, file, bytes, options);
    return wheelToInstall(planned, { ...file, filename: built.filename }, built.wheel, await digestHex("sha256", built.wheel), options);
  });
  task.finish(`Downloaded ${wheels.length} wheel${wheels.length === 1 ? "" : "s"}`);
  return installWheels(wheels, options);
}

function wheelToInstall(planned: PlannedPackage, file: DistributionFile, wheel: WheelToInstall["wheel"], sha256: string, options: ApplyInstallPlanOptions): WheelToInstall {
  const result: WheelToInstall = { wheel, sha256, filename: file.filename, requested: planned.requested };
  if (planned.direct) result.directUrl = options.directUrls?.get(planned.name) ?? directUrlOf(file, sha256);
  return result;
}

/** The remembered digest of an unchanged local file, when one may be used. */
async function rememberedDigest(file: DistributionFile, options: ApplyInstallPlanOptions): Promise<string | undefined> {
  if (!options.fileDigests || !options.wheelCache || !file.url.startsWith("file:")) return undefined;
  return options.fileDigests.get(file.url).catch(() => undefined);
}

const isSha256Hex = (text: string) => /^[0-9a-f]{64}$/.test(text);

/** True when the wheel cache has the file with this sha256, and hash-checking mode (if on) allows that sha256. */
async function isCachedAndAllowed(sha256: string, planned: PlannedPackage, options: ApplyInstallPlanOptions): Promise<boolean> {
  // A malformed listed hash (`#sha256=00` in a URL) names no cache entry; the download's check then reports it.
  if (!options.wheelCache || !isSha256Hex(sha256) || !(await options.wheelCache.has(sha256))) return false;
  return !options.requiredHashes || (options.requiredHashes.get(planned.name) ?? []).includes(`sha256:${sha256}`);
}

async function buildFromSource(planned: PlannedPackage, file: DistributionFile, sdist: Uint8Array, options: ApplyInstallPlanOptions): Promise<{ wheel: Uint8Array; filename: string }> {
  if (!options.buildSdist) {
    throw new KilnError("installFailed", `Cannot install ${planned.displayName} ${planned.version}: it has no wheel for this environment, only the sdist ${file.filename}`, {
      hint: "This command installs wheels only; kiln pip install builds pure-Python sdists",
    });
  }
  return options.buildSdist(file, sdist);
}

function chooseWheel(planned: PlannedPackage, required: ReadonlyMap<string, readonly string[]> | undefined): DistributionFile {
  const allowed = required?.get(planned.name);
  const files = [planned.wheel!, ...planned.alternatives];
  if (allowed === undefined) return files[0]!;
  // As pip does in hash-checking mode: of the candidate files, take one the user's hashes name.
  return files.find((file) => Object.entries(file.hashes).some(([name, hex]) => allowed.includes(`${name}:${hex}`))) ?? files[0]!;
}

/**
 * pip's first hash-mode check, before any download: every package to install needs a --hash. The
 * refusal gives the lines to add with their hashes, as pip does: the index's, or for a local file
 * the index lists without one (a --find-links directory) its own, read only to say so.
 */
async function checkHashesGiven(
  chosen: ReadonlyArray<{ planned: PlannedPackage; file: DistributionFile }>,
  required: ReadonlyMap<string, readonly string[]>,
  options: ApplyInstallPlanOptions,
): Promise<void> {
  const missing = chosen.filter(({ planned }) => !required.has(planned.name));
  if (missing.length === 0) return;
  const sha256Of = async (file: DistributionFile) =>
    file.hashes.sha256 ?? (file.url.startsWith("file:") ? await options.source.fetchFile(file).then((bytes) => digestHex("sha256", bytes), () => undefined) : undefined);
  const lines = await Promise.all(missing.map(async ({ planned, file }) => {
    const sha256 = await sha256Of(file);
    return `${planned.name}==${planned.version}${sha256 ? ` --hash=sha256:${sha256}` : ""}`;
  }));
  throw new KilnError("hashRequired", `Cannot install in --require-hashes mode: no --hash is given for ${missing.map(({ planned }) => `${planned.displayName} ${planned.version}`).join(", ")}`, {
    hint: `Add them to the requirements file (hashes as the index lists them, or of the local file):\n      ${lines.join("\n      ")}`,
  });
}

async function checkRequiredHash(
  planned: PlannedPackage,
  file: DistributionFile,
  { bytes, sha256 }: { bytes: Uint8Array; sha256: string },
  required: ReadonlyMap<string, readonly string[]>,
): Promise<void> {
  const actual = `sha256:${sha256}`;
  const allowed = required.get(planned.name);
  if (allowed === undefined) {
    throw new KilnError("hashRequired", `Cannot install ${planned.displayName} ${planned.version} in --require-hashes mode: no --hash is given for it`, {
      hint: `Pin it in the requirements file: ${planned.name}==${planned.version} --hash=${actual}`,
    });
  }
  const algorithms = new Set(allowed.map((entry) => entry.split(":")[0]!));
  for (const algorithm of algorithms) {
    if (algorithm !== "sha256" && algorithm !== "sha384" && algorithm !== "sha512") continue;
    const digest = `${algorithm}:${algorithm === "sha256" ? actual.slice(7) : await digestHex(algorithm, bytes)}`;
    if (allowed.includes(digest)) return;
  }
  throw new KilnError("hashMismatch", `Cannot install ${file.filename}: its hash ${actual} is not one the requirements allow (${allowed.join(", ")})`, {
    hint: "The file differs from the one the requirements were pinned against; check where it came from before updating the hash",
  });
}

/** PEP 610 data for a wheel given by path or URL, with its hash as pip records it. */
function directUrlOf(file: DistributionFile, sha256: string): NonNullable<WheelToInstall["directUrl"]> {
  return { url: file.url, archive_info: { hash: `sha256=${sha256}`, hashes: { sha256 } } };
}

async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(runners);
  return results;
}
