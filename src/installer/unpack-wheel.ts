import {
  bytesSource,
  openZip,
  parseRecord,
  parseWheelFile,
  safeEntryPath,
  type RecordHash,
  type RecordRow,
  type ZipArchive,
  type ZipCodecs,
} from "../archive/index.js";
import { KilnError, type Reporter } from "../core/index.js";
import { tryParseVersion, versionsEqual, type Version } from "../pep440/index.js";
import { normalizeName } from "../pep508/index.js";
import { parseWheelFilename } from "../wheel-name/index.js";
import { mapWithLimit, type ConcurrencyLimit } from "./concurrency-limit.js";
import { fileRecordHash } from "./file-record-hash.js";
import { readNameAndVersion } from "./installed-distributions.js";

/** One file a wheel installs, verified against RECORD. */
export interface UnpackedFile {
  /**
   * The path inside the wheel, such as `pytest/__init__.py` or `x-1.0.data/scripts/x`: always
   * relative and normal (no empty, `.` or `..` segment; checked by `safeEntryPath` when unpacked
   * and again when a cache entry is read), so staging joins it to a directory by concatenation.
   */
  path: string;
  size: number;
  /** The zip entry carried an executable bit. */
  executable: boolean;
  /** The file's sha256, as the installed RECORD writes it (also when the wheel's RECORD used a stronger hash). */
  hash: RecordHash;
  /** The content, while it is in memory; absent for files of a cached entry (read from disk). */
  data?: Uint8Array;
}

/** What a verified wheel installs, independent of where it is installed. */
export interface UnpackedWheel {
  filename: string;
  /** Name and version as METADATA spells them. */
  name: string;
  version: string;
  /** The `.dist-info` directory's name inside the wheel. */
  distInfo: string;
  rootIsPurelib: boolean;
  wheelVersion: readonly [number, number];
  /** Every file to install, in the wheel's order; RECORD, its signatures and installer-written files excluded. */
  files: UnpackedFile[];
  /** The text of `entry_points.txt`, if the wheel has one. */
  entryPoints?: string;
}

/** Options for {@link unpackWheel}. */
export interface UnpackWheelOptions {
  /** Told about a newer minor Wheel-Version; omit it when the caller warns itself. */
  reporter?: Reporter;
  /** Bounds the hashing of entries; entries are inflated one at a time. */
  limit: ConcurrencyLimit;
  maxEntrySize?: number;
  codecs?: ZipCodecs;
}

/** Hash algorithms RECORD may use: sha256 or stronger (the wheel spec forbids md5 and sha1). */
const strongRecordHashes = new Set(["sha256", "sha384", "sha512"]);
/** Written by the installer, so copies shipped inside a wheel are not installed. */
const generatedFiles = new Set(["INSTALLER", "REQUESTED", "direct_url.json", "RECORD", "RECORD.jws", "RECORD.p7s"]);
const decoder = new TextDecoder();

/**
 * Opens a wheel and verifies it completely: Wheel-Version, METADATA against the file name, safe
 * and unique paths, and every file's RECORD hash and size (every RECORD row must exist). Returns
 * the files to install with their content and the sha256 the installed RECORD lists.
 *
 * @example
 * const unpacked = await unpackWheel(bytes, "pytest-9.2.0-py3-none-any.whl", { limit: limitConcurrency(16) });
 */
export async function unpackWheel(bytes: Uint8Array, filename: string, options: UnpackWheelOptions): Promise<UnpackedWheel> {
  const parsedFilename = parseWheelFilename(filename);
  const archive = await openZip(bytesSource(bytes), {
    ...(options.maxEntrySize === undefined ? {} : { maxEntrySize: options.maxEntrySize }),
    ...(options.codecs ? { codecs: options.codecs } : {}),
  });
  const distInfo = findDistInfo(archive, filename, parsedFilename.name);
  const wheelFile = parseWheelFile(await readText(archive, `${distInfo}/WHEEL`, filename, "WHEEL file"));
  const wheelVersion = checkWheelVersion(wheelFile.wheelVersion, filename, options.reporter);
  const { name, version } = checkMetadata(readNameAndVersion(await readText(archive, `${distInfo}/METADATA`, filename, "metadata file")), parsedFilename, filename);
  const record = new Map<string, RecordRow>();
  for (const row of parseRecord(await readText(archive, `${distInfo}/RECORD`, filename, "RECORD file"))) record.set(safeEntryPath(row.path), row);
  const seen = new Set<string>();
  const entries = archive.entries.filter((entry) => {
    if (entry.isDirectory) return false;
    const path = safeEntryPath(entry.name);
    if (seen.has(path)) throw invalid(filename, `"${path}" appears twice`);
    seen.add(path);
    return path !== `${distInfo}/RECORD` && path !== `${distInfo}/RECORD.jws` && path !== `${distInfo}/RECORD.p7s`;
  });
  for (const path of record.keys()) {
    if (!seen.has(path)) throw invalid(filename, `RECORD lists "${path}" but the wheel does not contain it`);
  }
  const verified = await mapWithLimit(entries, options.limit, async (entry) => {
    const path = safeEntryPath(entry.name);
    const data = await archive.readEntry(entry);
    const hash = await checkRecordRow(record.get(path), data, path, filename);
    const isGenerated = path.startsWith(`${distInfo}/`) && generatedFiles.has(path.slice(distInfo.length + 1));
    if (isGenerated) return undefined;
    const file: UnpackedFile = { path, size: data.length, executable: ((entry.unixMode ?? 0) & 0o111) !== 0, hash, data };
    return file;
  });
  const entryPoints = verified.find((file) => file?.path === `${distInfo}/entry_points.txt`);
  return {
    filename,
    name,
    version,
    distInfo,
    rootIsPurelib: wheelFile.rootIsPurelib,
    wheelVersion,
    files: verified.filter((file): file is UnpackedFile => file !== undefined),
    ...(entryPoints?.data ? { entryPoints: decoder.decode(entryPoints.data) } : {}),
  };
}

/**
 * Refuses a major Wheel-Version other than 1 and warns about a newer minor one, as the spec asks.
 *
 * @example
 * checkWheelVersion([1, 0], "x-1.0-py3-none-any.whl", reporter); // [1, 0]
 */
export function checkWheelVersion(wheelVersion: readonly [number, number], filename: string, reporter?: Reporter): readonly [number, number] {
  const [major, minor] = wheelVersion;
  if (major !== 1) {
    throw new KilnError("unsupportedWheelVersion", `Cannot install ${filename}: Wheel-Version ${major}.${minor} is not supported`, {
      hint: "kiln installs Wheel-Version 1.x wheels; upgrade kiln or pick another release of the package",
    });
  }
  if (minor > 0) reporter?.warn(`${filename} has Wheel-Version ${major}.${minor}, newer than 1.0; installing anyway`);
  return [major, minor];
}

/**
 * The error for a damaged wheel.
 *
 * @example
 * throw invalidWheel("x-1.0-py3-none-any.whl", "it has no .dist-info directory");
 */
export function invalidWheel(filename: string, why: string, hint = "The wheel is damaged or was built by a broken tool; rebuild or re-download it"): KilnError {
  return new KilnError("invalidWheel", `Cannot install ${filename}: ${why}`, { hint });
}

const invalid = invalidWheel;

function findDistInfo(archive: ZipArchive, filename: string, name: string): string {
  const tops = new Set(archive.entries.map((entry) => entry.name.split("/")[0]!).filter((top) => top.endsWith(".dist-info")));
  if (tops.size !== 1) throw invalid(filename, tops.size === 0 ? "it has no .dist-info directory" : `it has ${tops.size} .dist-info directories`);
  const [distInfo] = tops as Set<string> & { size: 1 };
  const distInfoName = distInfo!.replace(/\.dist-info$/, "").split("-")[0]!;
  if (normalizeName(distInfoName) !== normalizeName(name)) throw invalid(filename, `its ${distInfo} does not match the name "${name}"`);
  return distInfo!;
}

async function readText(archive: ZipArchive, path: string, filename: string, what: string): Promise<string> {
  const entry = archive.getEntry(path);
  if (entry === undefined) throw invalid(filename, `${what} ${path} is missing`);
  return decoder.decode(await archive.readEntry(entry));
}

/** Checks one file against its RECORD row; returns its sha256 for the installed RECORD. */
async function checkRecordRow(row: RecordRow | undefined, data: Uint8Array, path: string, filename: string): Promise<RecordHash> {
  if (row?.hash === undefined) throw invalid(filename, `"${path}" is not listed in RECORD with a hash`);
  if (!strongRecordHashes.has(row.hash.algorithm)) {
    throw invalid(filename, `RECORD hashes "${path}" with ${row.hash.algorithm}; the wheel spec requires sha256 or stronger`);
  }
  const actual = await fileRecordHash(data, row.hash.algorithm);
  if (actual.digest !== row.hash.digest) {
    throw new KilnError("hashMismatch", `Cannot install ${filename}: "${path}" does not match its RECORD hash (${row.hash.algorithm}=${row.hash.digest}, got ${actual.digest})`, {
      hint: "The wheel was modified after it was built; do not install it",
    });
  }
  if (row.size !== undefined && row.size !== data.length) {
    throw new KilnError("hashMismatch", `Cannot install ${filename}: "${path}" is ${data.length} bytes but RECORD says ${row.size}`, {
      hint: "The wheel was modified after it was built; do not install it",
    });
  }
  return actual.algorithm === "sha256" ? actual : fileRecordHash(data);
}

/** The wheel's METADATA must describe the project and version its file name claims, as pip checks. */
function checkMetadata(
  metadata: { name?: string; version?: string },
  parsed: { name: string; version: Version },
  filename: string,
): { name: string; version: string } {
  if (metadata.name === undefined || metadata.version === undefined) throw invalid(filename, "its METADATA has no Name or Version");
  if (normalizeName(metadata.name) !== parsed.name) throw invalid(filename, `its METADATA names "${metadata.name}", not the file name's project`);
  const version = tryParseVersion(metadata.version);
  if (version === undefined || !versionsEqual(version, parsed.version)) {
    throw invalid(filename, `its METADATA says version ${metadata.version}, but the file name says ${filename.split("-")[1]}`);
  }
  return { name: metadata.name, version: metadata.version };
}
