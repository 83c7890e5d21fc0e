import { parseRecord, type RecordRow } from "../archive/index.js";
import { headerValue, parseEmailHeaders } from "../metadata/index.js";
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
  const headers = parseEmailHeaders(text);
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

/** Reads one `.dist-info` directory. */
export async function readInstalledDistribution(fs: InstallFileSystem, distInfo: string): Promise<InstalledDistribution> {
  const directoryName = distInfo.split("/").at(-1)!.replace(/\.dist-info$/, "");
  const [fallbackName = directoryName, fallbackVersion = ""] = directoryName.split("-");
  const metadata = readNameAndVersion((await readOptional(fs, joinPath(distInfo, "METADATA"))) ?? "");
  const result: InstalledDistribution = {
    name: metadata.name ?? fallbackName,
    version: metadata.version ?? fallbackVersion,
    distInfo,
    requested: await fs.exists(joinPath(distInfo, "REQUESTED")),
  };
  const installer = await readOptional(fs, joinPath(distInfo, "INSTALLER"));
  if (installer !== undefined) result.installer = installer.trim();
  const record = await readOptional(fs, joinPath(distInfo, "RECORD"));
  if (record !== undefined) result.files = parseRecord(record);
  return result;
}

/**
 * Every distribution installed in the scheme's purelib and platlib, sorted by name.
 *
 * @example
 * for (const dist of await listInstalled(venvScheme("/work/.venv", "3.14"), fs)) console.log(dist.name, dist.version);
 */
export async function listInstalled(scheme: InstallScheme, fs: InstallFileSystem): Promise<InstalledDistribution[]> {
  const result: InstalledDistribution[] = [];
  for (const directory of new Set([joinPath(scheme.purelib), joinPath(scheme.platlib)])) {
    if ((await fs.stat(directory))?.kind !== "directory") continue;
    for (const name of (await fs.list(directory)).sort()) {
      const path = joinPath(directory, name);
      if (name.endsWith(".dist-info") && (await fs.stat(path))?.kind === "directory") result.push(await readInstalledDistribution(fs, path));
    }
  }
  return result.sort((a, b) => normalizeName(a.name).localeCompare(normalizeName(b.name)));
}

/**
 * The installed distributions whose name normalizes to `name`'s (usually zero or one).
 *
 * @example
 * await findInstalled("Pytest", scheme, fs); // [{ name: "pytest", … }]
 */
export async function findInstalled(name: string, scheme: InstallScheme, fs: InstallFileSystem): Promise<InstalledDistribution[]> {
  const wanted = normalizeName(name);
  return (await listInstalled(scheme, fs)).filter((dist) => normalizeName(dist.name) === wanted);
}
