import { formatRecord, type RandomAccessSource, type RecordHash, type RecordRow, type ZipCodecs } from "../archive/index.js";
import { digestHex } from "../cache/index.js";
import { KilnError, type Reporter } from "../core/index.js";
import { parseScriptEntryPoints } from "../metadata/index.js";
import { mapWithLimit, type ConcurrencyLimit } from "./concurrency-limit.js";
import { environmentFileRole } from "./environment-files.js";
import type { InstallScheme } from "./install-scheme.js";
import type { LinkMode } from "./link-mode.js";
import { isInside, joinPath, relativePath } from "./paths.js";
import { fileRecordHash } from "./file-record-hash.js";
import { entryPointLauncher, rewritePythonShebang } from "./script-launcher.js";
import type { StagedLink, Transaction } from "./transaction.js";
import { checkWheelVersion, invalidWheel, unpackWheel, type UnpackedFile, type UnpackedWheel } from "./unpack-wheel.js";
import { UnpackedWheelCache, type CachedWheel } from "./unpacked-wheel-cache.js";
import { verifyFileHashes } from "./verify-file-hashes.js";

/** One wheel to install. */
export interface WheelToInstall {
  /** The wheel's bytes, a source to read them from, or a function that fetches them (called only when needed). */
  wheel: Uint8Array | RandomAccessSource | (() => Promise<Uint8Array>);
  /** The wheel's file name, such as `pytest-9.2.0-py3-none-any.whl`. */
  filename: string;
  /**
   * The sha256 (hex) of the wheel's bytes, when the caller knows it: the key of the unpacked-wheel
   * cache, so a cached wheel is installed without reading the file. Bytes read later must match it.
   */
  sha256?: string;
  /** Hex digests the index published for the file, by hashlib name (`{ sha256: "…" }`). */
  expectedHashes?: Record<string, string>;
  /** The user asked for this distribution (writes REQUESTED); false for dependencies. */
  requested?: boolean;
  /** PEP 610 `direct_url.json` content, for URL and path installs. */
  directUrl?: DirectUrl;
}

/** PEP 610 direct URL data (https://packaging.python.org/en/latest/specifications/direct-url-data-structure/). */
export interface DirectUrl {
  url: string;
  archive_info?: { hashes?: Record<string, string>; hash?: string };
  dir_info?: { editable?: boolean };
  vcs_info?: { vcs: string; commit_id: string; requested_revision?: string };
  subdirectory?: string;
}

/** What staging a wheel produced. */
export interface StagedWheel {
  name: string;
  version: string;
  /** Absolute path the `.dist-info` directory will have. */
  distInfo: string;
  filename: string;
}

/** Where and how {@link stageWheel} stages. */
export interface StageContext {
  transaction: Transaction;
  scheme: InstallScheme;
  reporter: Reporter;
  /** Bounds file operations across every wheel of the installation. */
  limit: ConcurrencyLimit;
  /** Verified, unpacked wheels to link from; without it, wheels are unpacked in memory. */
  cache?: UnpackedWheelCache;
  /** How files come from the cache; becomes `copy` for the rest of the install once a link fails. */
  linking: { mode: LinkMode; warned?: boolean };
  maxEntrySize?: number;
  codecs?: ZipCodecs;
}

const dataKeys = new Set(["scripts", "data", "headers", "purelib", "platlib"]);
const encoder = new TextEncoder();
const installerBytes = encoder.encode("kiln\n");
const requestedBytes = new Uint8Array();
/**
 * RECORD hashes of INSTALLER and REQUESTED, which are the same bytes in every wheel: hashed once
 * per process, not twice per wheel (each digest is a round trip through the platform's crypto).
 */
const sharedHashes = new Map<Uint8Array, Promise<RecordHash>>();

function hashOf(data: Uint8Array): Promise<RecordHash> {
  if (data !== installerBytes && data !== requestedBytes) return fileRecordHash(data);
  let hash = sharedHashes.get(data);
  if (hash === undefined) sharedHashes.set(data, (hash = fileRecordHash(data)));
  return hash;
}

/**
 * Where a wheel path inside `.data/` is installed, and whether it is a script (the other paths
 * go below the lib directory as they are).
 */
function dataDestination(path: string, context: { scheme: InstallScheme; dataDirectory: string; name: string; filename: string }): { target: string; script: boolean } {
  const { scheme } = context;
  const [key, ...rest] = path.slice(context.dataDirectory.length + 1).split("/");
  if (!dataKeys.has(key!) || rest.length === 0) throw invalidWheel(context.filename, `"${path}" is not in one of ${context.dataDirectory}/{${[...dataKeys].join(",")}}`);
  const base = key === "headers" ? joinPath(scheme.headers, context.name) : scheme[key as "scripts" | "data" | "purelib" | "platlib"];
  return { target: joinPath(base, ...rest), script: key === "scripts" };
}

/**
 * Verifies a wheel (index hash, Wheel-Version, every RECORD hash and size, safe paths) and stages
 * every file it installs, plus launchers, INSTALLER, REQUESTED, direct_url.json and the rewritten
 * RECORD, in the transaction. With a cache, a wheel is verified and unpacked once into it and its
 * files are then linked (or copied) into staging; only generated and rewritten files are written.
 * Nothing reaches the environment until the transaction commits.
 */
export async function stageWheel(input: WheelToInstall, context: StageContext): Promise<StagedWheel> {
  const unpacked = await obtainUnpacked(input, context);
  checkWheelVersion(unpacked.wheelVersion, input.filename, context.reporter);
  return placeWheel(unpacked, input, context);
}

/** The verified wheel: from the cache when it has it, else unpacked (and cached when possible). */
async function obtainUnpacked(input: WheelToInstall, context: StageContext): Promise<UnpackedWheel | CachedWheel> {
  const { filename } = input;
  const unpackOptions = { limit: context.limit, ...(context.maxEntrySize === undefined ? {} : { maxEntrySize: context.maxEntrySize }), ...(context.codecs ? { codecs: context.codecs } : {}) };
  let bytes: Uint8Array | undefined;
  const load = async () => (bytes ??= await readWheelBytes(input.wheel));
  let sha256 = input.sha256?.toLowerCase();
  if (input.expectedHashes && !matchesOnlySha256(input.expectedHashes, sha256)) await verifyFileHashes(await load(), input.expectedHashes, filename);
  if (!context.cache) return unpackWheel(await load(), filename, unpackOptions);
  const computed = sha256 === undefined;
  sha256 ??= await digestHex("sha256", await load());
  const cached = await context.cache.open(sha256, context.limit);
  // The same bytes under another file name must still pass the file-name checks, so are unpacked.
  if (cached && cached.filename === filename) return cached;
  const data = await load();
  if (!computed && (await digestHex("sha256", data)) !== sha256) {
    throw new KilnError("hashMismatch", `Cannot install ${filename}: its sha256 is not the ${sha256} it was listed with`, {
      hint: "The file changed after it was listed; clear the cache and try again",
    });
  }
  const unpacked = await unpackWheel(data, filename, unpackOptions);
  if (cached) return unpacked;
  try {
    return await context.cache.store(sha256, unpacked, context.limit);
  } catch (error) {
    // The cache is an optimization: a cache directory that is full or read-only does not stop the install.
    context.reporter.debug(`Cannot cache the unpacked ${filename} in ${context.cache.root}: ${(error as Error)?.message ?? String(error)}`);
    return unpacked;
  }
}

/** True when the only checkable expected hash is a sha256 equal to the one already verified. */
function matchesOnlySha256(expected: Record<string, string>, sha256: string | undefined): boolean {
  if (sha256 === undefined) return false;
  const usable = Object.entries(expected).filter(([algorithm]) => ["sha256", "sha384", "sha512"].includes(algorithm.toLowerCase()));
  return usable.length > 0 && usable.every(([algorithm, digest]) => algorithm.toLowerCase() === "sha256" && digest.toLowerCase() === sha256);
}

async function readWheelBytes(wheel: WheelToInstall["wheel"]): Promise<Uint8Array> {
  if (wheel instanceof Uint8Array) return wheel;
  if (typeof wheel === "function") return wheel();
  return wheel.read(0, wheel.size);
}

/** Stages a verified wheel's files, launchers and generated files; returns what was staged. */
async function placeWheel(unpacked: UnpackedWheel | CachedWheel, input: WheelToInstall, context: StageContext): Promise<StagedWheel> {
  const { filename } = input;
  const { transaction, scheme } = context;
  const libDirectory = joinPath(unpacked.rootIsPurelib ? scheme.purelib : scheme.platlib);
  const dataDirectory = `${unpacked.distInfo.slice(0, -".dist-info".length)}.data/`;
  const where = { scheme, dataDirectory: dataDirectory.slice(0, -1), name: unpacked.name, filename };
  const row = (target: string, hash: RecordHash, size: number): RecordRow => ({ path: relativePath(libDirectory, target), hash, size });
  const checkInside = (target: string) => {
    if (!isInside(scheme.prefix, target)) throw new KilnError("unsafeEntryPath", `Cannot install ${filename}: "${target}" is outside the environment`);
    const role = environmentFileRole(scheme, target);
    if (role !== undefined) {
      throw new KilnError("unsafeEntryPath", `Cannot install ${filename}: it would write "${target}", ${role}`, {
        hint: "No distribution may replace the environment's own files; do not install this wheel",
      });
    }
  };
  checkInside(libDirectory);
  // Destinations are worked out (and checked) for every file before anything is staged; the
  // files of a cached entry are then linked in one batch, the rest written one by one. A wheel
  // path is relative and normal (see UnpackedFile.path), so below the lib directory (the
  // thousands of module files) its target and RECORD path are made by concatenation; only the
  // few `.data/` files go through joinPath and the checks.
  const placed: RecordRow[] = [];
  const links: StagedLink[] = [];
  const others: { index: number; file: UnpackedFile; target: string; script: boolean }[] = [];
  const cacheDirectory = unpacked.files.some((file) => file.data === undefined) ? `${(unpacked as CachedWheel).directory}/` : "";
  for (const file of unpacked.files) {
    const { path } = file;
    let target: string;
    let script = false;
    if (path.startsWith(dataDirectory)) {
      ({ target, script } = dataDestination(path, where));
      checkInside(target);
      placed.push(row(target, file.hash, file.size));
    } else {
      target = `${libDirectory}/${path}`;
      placed.push({ path, hash: file.hash, size: file.size });
    }
    if (script || file.data) others.push({ index: placed.length - 1, file, target, script });
    else links.push({ target, source: cacheDirectory + path });
  }
  await mapWithLimit(others, context.limit, async ({ index, file, target, script }) => {
    if (!script) return transaction.stageFile(target, file.data!, file.executable ? 0o755 : 0o644);
    const data = file.data ?? (await context.cache!.fs.readFile(UnpackedWheelCache.filePath(unpacked as CachedWheel, file)));
    const staged = rewritePythonShebang(data, scheme.python);
    await transaction.stageFile(target, staged, 0o755);
    placed[index] = row(target, staged === data ? file.hash : await fileRecordHash(staged), staged.length);
  });
  if (links.length > 0) await linkFiles(links, context);
  const generated: { target: string; data: Uint8Array; shared?: boolean }[] = [];
  for (const entryPoint of unpacked.entryPoints === undefined ? [] : parseScriptEntryPoints(unpacked.entryPoints, filename)) {
    generated.push({ target: joinPath(scheme.scripts, entryPoint.name), data: entryPointLauncher(entryPoint, scheme.python) });
  }
  const distInfoTarget = joinPath(libDirectory, unpacked.distInfo);
  const metadataFile = (name: string, data: Uint8Array, shared?: boolean) => generated.push({ target: joinPath(distInfoTarget, name), data, ...(shared ? { shared } : {}) });
  // The same bytes in every wheel of the installation: staged once, then linked (unless links are off).
  const share = context.linking.mode === "hardlink";
  metadataFile("INSTALLER", installerBytes, share);
  if (input.requested) metadataFile("REQUESTED", requestedBytes, share);
  if (input.directUrl) metadataFile("direct_url.json", encoder.encode(JSON.stringify(input.directUrl)));
  const launchers = await mapWithLimit(generated, context.limit, async ({ target, data, shared }) => {
    checkInside(target);
    const mode = target.startsWith(`${joinPath(scheme.scripts)}/`) ? 0o755 : 0o644;
    await (shared ? transaction.stageSharedFile(target, data, mode) : transaction.stageFile(target, data, mode));
    return row(target, await hashOf(data), data.length);
  });
  const recordPath = joinPath(distInfoTarget, "RECORD");
  await transaction.stageFile(recordPath, encoder.encode(formatRecord([...placed, ...launchers, { path: relativePath(libDirectory, recordPath) }])), 0o644);
  return { name: unpacked.name, version: unpacked.version, distInfo: distInfoTarget, filename };
}

/** Links (or copies) cached files into staging, switching the install to copies once linking fails. */
async function linkFiles(links: readonly StagedLink[], context: StageContext): Promise<void> {
  const hardlink = context.linking.mode === "hardlink";
  const linked = await context.transaction.stageLinks(links, { hardlink, limit: context.limit });
  if (hardlink && !linked) {
    context.linking.mode = "copy";
    if (!context.linking.warned) {
      context.linking.warned = true;
      context.reporter.warn(`Cannot hard-link files from the cache (${context.cache!.root}) into the environment; copying them instead`);
    }
  }
}
