import { parseRecord, type RecordRow } from "../archive/index.js";
import { headerValue, parseEmailHeaders, type EmailHeaders } from "../metadata/index.js";
import { KilnError } from "../core/index.js";
import { normalizeName } from "../pep508/index.js";
import type { InstallFileSystem } from "./install-file-system.js";
import type { InstallScheme } from "./install-scheme.js";
import { joinPath } from "./paths.js";

/** A distribution installed in an environment, as its `.dist-info` directory describes it. */
export interface InstalledDistribution {
  /** The `Name` from METADATA (or the directory name when METADATA is missing). */
  name: string;
  version: string;
  /** Absolute path of the `.dist-info` directory. */
  distInfo: string;
  /** The tool that installed it, from INSTALLER (`kiln`, `pip`, …). */
  installer?: string;
  /** True when the user asked for it, not only a dependency (a REQUESTED file exists). */
  requested: boolean;
  /** RECORD's rows, paths relative to the directory holding `.dist-info`; absent without RECORD. */
  files?: RecordRow[];
}

const decoder = new TextDecoder();

/**
 * Reads `Name` and `Version` from core metadata headers (up to the first blank line).
 *
 * @example
 * readNameAndVersion("Metadata-Version: 2.1\nName: pytest\nVersion: 9.2.0\n"); // { name: "pytest", version: "9.2.0" }
 */
export function readNameAndVersion(text: string): { name?: string; version?: string } {
  return nameAndVersionOf(parseEmailHeaders(text));
}

/**
 * `Name` and `Version` of parsed core metadata headers, trimmed; absent when empty.
 *
 * @example
 * nameAndVersionOf(parseEmailHeaders("Name: pytest\nVersion: 9.2.0\n")); // { name: "pytest", version: "9.2.0" }
 */
export function nameAndVersionOf(headers: EmailHeaders): { name?: string; version?: string } {
  const result: { name?: string; version?: string } = {};
  const name = headerValue(headers, "Name")?.trim();
  const version = headerValue(headers, "Version")?.trim();
  if (name) result.name = name;
  if (version) result.version = version;
  return result;
}

async function readOptional(fs: InstallFileSystem, path: string): Promise<string | undefined> {
  return (await fs.stat(path))?.kind === "file" ? decoder.decode(await fs.readFile(path)) : undefined;
}

/** What to read of each `.dist-info` directory. */
export interface ReadInstalledOptions {
  /** Read and parse RECORD into `files` (uninstalling and `pip show --files` need it); default true. */
  record?: boolean;
}

/** Reads one `.dist-info` directory. */
export async function readInstalledDistribution(fs: InstallFileSystem, distInfo: string, options: ReadInstalledOptions = {}): Promise<InstalledDistribution> {
  return (await readDistInfo(fs, distInfo, options)).distribution;
}

/** Reads one `.dist-info` directory, keeping the METADATA text read for its name and version. */
async function readDistInfo(fs: InstallFileSystem, distInfo: string, options: ReadInstalledOptions): Promise<DistInfoContents> {
  const directoryName = distInfo.split("/").at(-1)!.replace(/\.dist-info$/, "");
  const [fallbackName = directoryName, fallbackVersion = ""] = directoryName.split("-");
  const text = await readOptional(fs, joinPath(distInfo, "METADATA"));
  const metadata = readNameAndVersion(text ?? "");
  const result: InstalledDistribution = {
    name: metadata.name ?? fallbackName,
    version: metadata.version ?? fallbackVersion,
    distInfo,
    requested: await fs.exists(joinPath(distInfo, "REQUESTED")),
  };
  const installer = await readOptional(fs, joinPath(distInfo, "INSTALLER"));
  if (installer !== undefined) result.installer = installer.trim();
  if (options.record !== false) {
    const path = joinPath(distInfo, "RECORD");
    const record = await readOptional(fs, path);
    if (record !== undefined) result.files = parseInstalledRecord(record, path, result);
  }
  return { distribution: result, metadata: text };
}

/** An installed RECORD, parsed; a damaged one is an error that names the file and what to do. */
function parseInstalledRecord(text: string, path: string, dist: InstalledDistribution): RecordRow[] {
  try {
    return parseRecord(text);
  } catch (error) {
    throw new KilnError("invalidRecord", `Cannot read ${path}: ${(error as Error)?.message ?? String(error)}`, {
      hint: `The RECORD of ${dist.name} ${dist.version} is damaged, so kiln cannot tell which files are its; delete them and its .dist-info directory by hand, then install it again`,
      cause: error,
    });
  }
}

/** A distribution and the METADATA text it was read from (undefined when there is none). */
export interface DistInfoContents {
  distribution: InstalledDistribution;
  metadata: string | undefined;
}

/**
 * Every distribution installed in the scheme's purelib and platlib, sorted by name.
 *
 * @example
 * for (const dist of await listInstalled(venvScheme("/work/.venv", "3.14"), fs)) console.log(dist.name, dist.version);
 */
export async function listInstalled(scheme: InstallScheme, fs: InstallFileSystem, options: ReadInstalledOptions = {}): Promise<InstalledDistribution[]> {
  return (await listDistInfos(scheme, fs, options)).map(({ distribution }) => distribution);
}

/**
 * {@link listInstalled}, with each distribution's METADATA text.
 *
 * @example
 * const [first] = await listDistInfos(scheme, fs, { record: false }); // { distribution, metadata }
 */
export async function listDistInfos(scheme: InstallScheme, fs: InstallFileSystem, options: ReadInstalledOptions = {}): Promise<DistInfoContents[]> {
  const paths: string[] = [];
  for (const directory of new Set([joinPath(scheme.purelib), joinPath(scheme.platlib)])) {
    if ((await fs.stat(directory))?.kind !== "directory") continue;
    for (const name of (await fs.list(directory)).sort()) {
      const path = joinPath(directory, name);
      if (name.endsWith(".dist-info") && (await fs.stat(path))?.kind === "directory") paths.push(path);
    }
  }
  const result = await Promise.all(paths.map((path) => readDistInfo(fs, path, options)));
  return result.sort((a, b) => compareNames(a.distribution.name, b.distribution.name));
}

/**
 * Orders distribution names by their normalized form, code point by code point, as Python's
 * `sorted()` orders pip's canonical names. For normalized names (`[a-z0-9-]`) that is also
 * `localeCompare`'s order, without its cost: the first `localeCompare` of a process loads ICU's
 * collation data (~5 ms).
 *
 * @example
 * ["typing-extensions", "Pydantic_Core", "pydantic"].sort(compareNames); // ["pydantic", "Pydantic_Core", "typing-extensions"]
 */
export function compareNames(a: string, b: string): number {
  const left = normalizeName(a);
  const right = normalizeName(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * The installed distributions whose name normalizes to `name`'s (usually zero or one).
 *
 * @example
 * await findInstalled("Pytest", scheme, fs); // [{ name: "pytest", … }]
 */
export async function findInstalled(name: string, scheme: InstallScheme, fs: InstallFileSystem): Promise<InstalledDistribution[]> {
  const wanted = normalizeName(name);
  const matching = (await listInstalled(scheme, fs, { record: false })).filter((dist) => normalizeName(dist.name) === wanted);
  return Promise.all(matching.map((dist) => readInstalledDistribution(fs, dist.distInfo)));
}
