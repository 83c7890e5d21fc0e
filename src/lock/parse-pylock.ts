import { parse } from "smol-toml";
import { KilnError } from "../core/index.js";
import { isSafeFilename } from "../index/index.js";
import type { LockedPackage, LockedSet, LockedWheel } from "./locked-set.js";

/** What {@link parsePylock} returns: the lock plus the file's format version. */
export interface ParsedPylock extends LockedSet {
  lockVersion: string;
}

type Table = Record<string, unknown>;

/**
 * Reads a PEP 751 `pylock.toml`. Keeps what kiln uses (packages with their wheels and sdist,
 * dependencies, `requires-python`, `environments`, and the `archive` of a Pyodide shared library
 * that kiln marked in `tool.kiln`); other sources (VCS, directories, other archives) are left out. A `lock-version` with a major version other than 1 is refused, as the PEP requires.
 *
 * @example
 * const lock = parsePylock(await readFile("pylock.toml", "utf8"), "pylock.toml");
 * lock.packages.map((p) => `${p.name}==${p.version}`);
 */
export function parsePylock(text: string, source = "pylock.toml"): ParsedPylock {
  let document: Table;
  try {
    document = parse(text) as Table;
  } catch (error) {
    throw new KilnError("invalidLockFile", `Cannot read lock file "${source}": not valid TOML`, { cause: error, hint: "Regenerate it with `kiln lock`" });
  }
  const fail = (what: string): never => {
    throw new KilnError("invalidLockFile", `Cannot read lock file "${source}": ${what}`, { hint: "See https://peps.python.org/pep-0751/ for the format" });
  };
  const lockVersion = document["lock-version"];
  if (typeof lockVersion !== "string") fail("`lock-version` is missing");
  if (!/^1(\.\d+)?$/.test(lockVersion as string)) {
    throw new KilnError("unsupportedLockVersion", `Cannot read lock file "${source}": lock-version ${lockVersion} is not supported`, {
      hint: `kiln reads lock-version 1.x`,
    });
  }
  const createdBy = document["created-by"];
  if (typeof createdBy !== "string") fail("`created-by` is missing");
  const packages = document.packages ?? [];
  if (!Array.isArray(packages)) fail("`packages` is not an array of tables");
  const lock: ParsedPylock = {
    lockVersion: lockVersion as string,
    createdBy: createdBy as string,
    packages: (packages as unknown[]).map((entry, index) => readPackage(entry, `packages[${index}]`, fail)),
  };
  const requiresPython = optionalString(document["requires-python"], "requires-python", fail);
  if (requiresPython !== undefined) lock.requiresPython = requiresPython;
  const environments = document.environments;
  if (environments !== undefined) {
    if (!Array.isArray(environments) || environments.some((e) => typeof e !== "string")) fail("`environments` is not an array of strings");
    lock.environments = environments as string[];
  }
  return lock;
}

function readPackage(entry: unknown, where: string, fail: (what: string) => never): LockedPackage {
  if (!isTable(entry)) fail(`${where} is not a table`);
  const table = entry as Table;
  const name = table.name;
  if (typeof name !== "string" || name === "") fail(`${where}.name is missing`);
  const version = optionalString(table.version, `${where}.version`, fail) ?? "";
  const dependencies = table.dependencies ?? [];
  if (!Array.isArray(dependencies)) fail(`${where}.dependencies is not an array`);
  const wheels = table.wheels ?? [];
  if (!Array.isArray(wheels)) fail(`${where}.wheels is not an array`);
  const result: LockedPackage = {
    name: name as string,
    version,
    dependencies: (dependencies as unknown[]).map((d, i) => {
      if (!isTable(d) || typeof (d as Table).name !== "string") fail(`${where}.dependencies[${i}] has no name`);
      return (d as Table).name as string;
    }),
    wheels: (wheels as unknown[]).map((w, i) => readWheel(w, `${where}.wheels[${i}]`, fail)),
  };
  const requiresPython = optionalString(table["requires-python"], `${where}.requires-python`, fail);
  if (requiresPython !== undefined) result.requiresPython = requiresPython;
  const index = optionalString(table.index, `${where}.index`, fail);
  if (index !== undefined) result.index = index;
  if (table.sdist !== undefined) result.sdist = readWheel(table.sdist, `${where}.sdist`, fail);
  const pyodide = readKilnTool(table.tool, `${where}.tool.kiln`, fail);
  // A Pyodide shared library kiln locked as an archive (see formatPylock): read back as it was written.
  if (pyodide && table.archive !== undefined && result.wheels.length === 0) {
    result.wheels = [readWheel(table.archive, `${where}.archive`, fail)];
    result.pyodide = pyodide;
  }
  return result;
}

/** `tool.kiln` of a package: what kind of Pyodide repository package an `archive` is. */
function readKilnTool(tool: unknown, where: string, fail: (what: string) => never): LockedPackage["pyodide"] | undefined {
  if (!isTable(tool) || !isTable((tool as Table).kiln)) return undefined;
  const kiln = (tool as Table).kiln as Table;
  const packageType = optionalString(kiln["pyodide-package-type"], `${where}.pyodide-package-type`, fail);
  if (packageType === undefined) return undefined;
  return { packageType, installDir: optionalString(kiln["pyodide-install-dir"], `${where}.pyodide-install-dir`, fail) ?? "dynlib" };
}

function readWheel(entry: unknown, where: string, fail: (what: string) => never): LockedWheel {
  if (!isTable(entry)) fail(`${where} is not a table`);
  const table = entry as Table;
  const url = optionalString(table.url, `${where}.url`, fail) ?? optionalString(table.path, `${where}.path`, fail);
  if (url === undefined) fail(`${where} has neither url nor path`);
  const filename = optionalString(table.name, `${where}.name`, fail) ?? fileNameOf(url!, `${where}.url`, fail);
  if (!isSafeFilename(filename)) fail(`${where}.name "${filename}" is not a plain file name`);
  const hashes = table.hashes ?? {};
  if (!isTable(hashes) || Object.values(hashes as Table).some((h) => typeof h !== "string")) fail(`${where}.hashes is not a table of strings`);
  for (const [algorithm, digest] of Object.entries(hashes as Record<string, string>)) checkDigest(algorithm, digest, `${where}.hashes.${algorithm}`, fail);
  const wheel: LockedWheel = { filename, url: url!, hashes: { ...(hashes as Record<string, string>) } };
  if (table.size !== undefined) {
    if (typeof table.size !== "number" && typeof table.size !== "bigint") fail(`${where}.size is not an integer`);
    wheel.size = Number(table.size);
  }
  const uploadTime = table["upload-time"];
  if (uploadTime instanceof Date) wheel.uploadTime = uploadTime.toISOString();
  else if (typeof uploadTime === "string") wheel.uploadTime = uploadTime;
  return wheel;
}

/** The last path segment of a URL or path, percent-decoded. */
function fileNameOf(url: string, where: string, fail: (what: string) => never): string {
  const segment = url.split(/[/\\]/).at(-1)!.split(/[?#]/)[0]!;
  try {
    return decodeURIComponent(segment);
  } catch {
    return fail(`${where} "${url}" has a malformed percent-escape in its file name`);
  }
}

/** Hex lengths of the digests kiln verifies and uses as cache keys. */
const digestLengths: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/**
 * A digest is hex (PEP 751 stores hashlib's `hexdigest()`), and one of a known algorithm has that
 * algorithm's length: a lock that says `sha256 = "00"` is refused here rather than compared
 * against, or used as a cache key, later.
 */
function checkDigest(algorithm: string, digest: string, where: string, fail: (what: string) => never): void {
  const length = digestLengths[algorithm.toLowerCase()];
  if (!/^[0-9A-Fa-f]+$/.test(digest) || (length !== undefined && digest.length !== length)) {
    fail(`${where} "${digest}" is not a ${length === undefined ? "hex digest" : `${length}-digit hex ${algorithm} digest`}`);
  }
}

function optionalString(value: unknown, where: string, fail: (what: string) => never): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") fail(`${where} is not a string`);
  return value as string;
}

function isTable(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
