import {
  bytesSource,
  formatRecord,
  openZip,
  parseRecord,
  parseWheelFile,
  recordHash,
  safeEntryPath,
  type RandomAccessSource,
  type RecordHash,
  type RecordRow,
  type ZipArchive,
} from "../archive/index.js";
import { KilnError, type Reporter } from "../core/index.js";
import { tryParseVersion, versionsEqual, type Version } from "../pep440/index.js";
import { normalizeName } from "../pep508/index.js";
import { parseWheelFilename } from "../wheel-name/index.js";
import { parseEntryPoints } from "./entry-points.js";
import type { InstallScheme } from "./install-scheme.js";
import { readNameAndVersion } from "./installed-distributions.js";
import { isInside, joinPath, relativePath } from "./paths.js";
import { entryPointLauncher, rewritePythonShebang } from "./script-launcher.js";
import type { Transaction } from "./transaction.js";
import { verifyFileHashes } from "./verify-file-hashes.js";

/** One wheel to install. */
export interface WheelToInstall {
  /** The wheel's bytes, or a source to read them from. */
  wheel: Uint8Array | RandomAccessSource;
  /** The wheel's file name, such as `pytest-9.2.0-py3-none-any.whl`. */
  filename: string;
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

/** Hash algorithms RECORD may use: sha256 or stronger (the wheel spec forbids md5 and sha1). */
const strongRecordHashes = new Set(["sha256", "sha384", "sha512"]);
/** Written by the installer, so copies shipped inside a wheel are not installed. */
const generatedFiles = new Set(["INSTALLER", "REQUESTED", "direct_url.json", "RECORD", "RECORD.jws", "RECORD.p7s"]);
const dataKeys = new Set(["scripts", "data", "headers", "purelib", "platlib"]);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function invalid(filename: string, why: string, hint = "The wheel is damaged or was built by a broken tool; rebuild or re-download it"): KilnError {
  return new KilnError("invalidWheel", `Cannot install ${filename}: ${why}`, { hint });
}

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

/** Where a wheel path is installed, and whether it is a script. */
function destination(path: string, context: { scheme: InstallScheme; dataDirectory: string; libDirectory: string; name: string; filename: string }): { target: string; script: boolean } {
  const { scheme } = context;
  if (!path.startsWith(`${context.dataDirectory}/`)) return { target: joinPath(context.libDirectory, path), script: false };
  const [key, ...rest] = path.slice(context.dataDirectory.length + 1).split("/");
  if (!dataKeys.has(key!) || rest.length === 0) throw invalid(context.filename, `"${path}" is not in one of ${context.dataDirectory}/{${[...dataKeys].join(",")}}`);
  const base = key === "headers" ? joinPath(scheme.headers, context.name) : scheme[key as "scripts" | "data" | "purelib" | "platlib"];
  return { target: joinPath(base, ...rest), script: key === "scripts" };
}

async function readWheelBytes(wheel: Uint8Array | RandomAccessSource): Promise<Uint8Array> {
  return wheel instanceof Uint8Array ? wheel : wheel.read(0, wheel.size);
}

/**
 * Verifies a wheel (index hash, Wheel-Version, every RECORD hash and size, safe paths) and
 * writes every file it installs, plus launchers, INSTALLER, REQUESTED, direct_url.json and the
 * rewritten RECORD, into the transaction's staging area. Nothing reaches the environment until
 * the transaction commits.
 */
export async function stageWheel(
  input: WheelToInstall,
  context: { transaction: Transaction; scheme: InstallScheme; reporter: Reporter; maxEntrySize?: number },
): Promise<StagedWheel> {
  const { filename } = input;
  const { transaction, scheme } = context;
  const parsedFilename = parseWheelFilename(filename);
  const bytes = await readWheelBytes(input.wheel);
  if (input.expectedHashes) await verifyFileHashes(bytes, input.expectedHashes, filename);
  const archive = await openZip(bytesSource(bytes), context.maxEntrySize === undefined ? {} : { maxEntrySize: context.maxEntrySize });
  const distInfo = findDistInfo(archive, filename, parsedFilename.name);
  const wheelFile = parseWheelFile(await readText(archive, `${distInfo}/WHEEL`, filename, "WHEEL file"));
  const [major, minor] = wheelFile.wheelVersion;
  if (major !== 1) {
    throw new KilnError("unsupportedWheelVersion", `Cannot install ${filename}: Wheel-Version ${major}.${minor} is not supported`, {
      hint: "kiln installs Wheel-Version 1.x wheels; upgrade kiln or pick another release of the package",
    });
  }
  if (minor > 0) context.reporter.warn(`${filename} has Wheel-Version ${major}.${minor}, newer than 1.0; installing anyway`);
  const { name, version } = checkMetadata(
    readNameAndVersion(await readText(archive, `${distInfo}/METADATA`, filename, "metadata file")),
    parsedFilename,
    filename,
  );
  const record = new Map<string, RecordRow>();
  for (const row of parseRecord(await readText(archive, `${distInfo}/RECORD`, filename, "RECORD file"))) record.set(safeEntryPath(row.path), row);
  const libDirectory = joinPath(wheelFile.rootIsPurelib ? scheme.purelib : scheme.platlib);
  const where = { scheme, dataDirectory: `${distInfo.slice(0, -".dist-info".length)}.data`, libDirectory, name, filename };
  const installed: RecordRow[] = [];
  const stage = async (target: string, data: Uint8Array, mode: number, knownHash?: RecordHash) => {
    if (!isInside(scheme.prefix, target)) throw new KilnError("unsafeEntryPath", `Cannot install ${filename}: "${target}" is outside the environment`);
    await transaction.stageFile(target, data, mode);
    installed.push({ path: relativePath(libDirectory, target), hash: knownHash ?? (await recordHash(data)), size: data.length });
  };
  const seen = new Set<string>();
  for (const entry of archive.entries) {
    if (entry.isDirectory) continue;
    const path = safeEntryPath(entry.name);
    if (seen.has(path)) throw invalid(filename, `"${path}" appears twice`);
    seen.add(path);
    const isGenerated = path.startsWith(`${distInfo}/`) && generatedFiles.has(path.slice(distInfo.length + 1));
    if (path === `${distInfo}/RECORD` || path === `${distInfo}/RECORD.jws` || path === `${distInfo}/RECORD.p7s`) continue;
    const data = await archive.readEntry(entry);
    const verified = await checkRecordRow(record.get(path), data, path, filename);
    if (isGenerated) continue;
    const { target, script } = destination(path, where);
    const executable = script || ((entry.unixMode ?? 0) & 0o111) !== 0;
    const staged = script ? rewritePythonShebang(data, scheme.python) : data;
    // The RECORD row just checked is the new row's hash too, unless the file was rewritten.
    await stage(target, staged, executable ? 0o755 : 0o644, staged === data && verified.algorithm === "sha256" ? verified : undefined);
  }
  for (const path of record.keys()) {
    if (!seen.has(path)) throw invalid(filename, `RECORD lists "${path}" but the wheel does not contain it`);
  }
  const entryPoints = archive.getEntry(`${distInfo}/entry_points.txt`);
  if (entryPoints) {
    for (const entryPoint of parseEntryPoints(decoder.decode(await archive.readEntry(entryPoints)))) {
      if (entryPoint.group !== "console_scripts" && entryPoint.group !== "gui_scripts") continue;
      if (!/^[^/\\\0]+$/.test(entryPoint.name) || entryPoint.name === "." || entryPoint.name === "..") {
        throw new KilnError("invalidEntryPoints", `Cannot install ${filename}: script name "${entryPoint.name}" is not a file name`);
      }
      await stage(joinPath(scheme.scripts, entryPoint.name), entryPointLauncher(entryPoint, scheme.python), 0o755);
    }
  }
  const distInfoTarget = joinPath(libDirectory, distInfo);
  await stage(joinPath(distInfoTarget, "INSTALLER"), encoder.encode("kiln\n"), 0o644);
  if (input.requested) await stage(joinPath(distInfoTarget, "REQUESTED"), new Uint8Array(), 0o644);
  if (input.directUrl) await stage(joinPath(distInfoTarget, "direct_url.json"), encoder.encode(JSON.stringify(input.directUrl)), 0o644);
  const recordPath = joinPath(distInfoTarget, "RECORD");
  await transaction.stageFile(recordPath, encoder.encode(formatRecord([...installed, { path: relativePath(libDirectory, recordPath) }])), 0o644);
  return { name, version, distInfo: distInfoTarget, filename };
}

async function checkRecordRow(row: RecordRow | undefined, data: Uint8Array, path: string, filename: string): Promise<RecordHash> {
  if (row?.hash === undefined) throw invalid(filename, `"${path}" is not listed in RECORD with a hash`);
  if (!strongRecordHashes.has(row.hash.algorithm)) {
    throw invalid(filename, `RECORD hashes "${path}" with ${row.hash.algorithm}; the wheel spec requires sha256 or stronger`);
  }
  const actual = await recordHash(data, row.hash.algorithm);
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
  return actual;
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
