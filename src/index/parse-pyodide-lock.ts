import { KilnError } from "../core/index.js";
import { normalizeName } from "../pep508/index.js";
import type { PyodidePackageInfo } from "./distribution-file.js";

/** One package of a `pyodide-lock.json`, with its file name and hash. */
export interface PyodideLockPackage extends PyodidePackageInfo {
  /** Relative to the lock file's URL (or absolute). */
  fileName: string;
  sha256: string;
}

/** A parsed `pyodide-lock.json`: the runtime it is for and its packages by normalized name. */
export interface PyodideLock {
  info: { abiVersion: string; arch: string; platform: string; python: string };
  packages: Map<string, PyodideLockPackage>;
}

/**
 * Parses Pyodide's `pyodide-lock.json`: `info` (`abi_version` such as `2026_0`, `python`,
 * `platform`, `arch`) and per package `file_name`, `sha256`, `depends`, `imports`,
 * `package_type` and `install_dir`. Keys are normalized (PEP 503), `depends` too. A lock of the
 * wrong shape is an `invalidIndexPage` error naming the field.
 *
 * @example
 * const lock = parsePyodideLock(text, "https://cdn.example.org/pyodide/pyodide-lock.json");
 * lock.packages.get("numpy")?.fileName;
 */
export function parsePyodideLock(text: string, url: string): PyodideLock {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw invalid(url, `not JSON (${(error as Error).message})`);
  }
  if (!isObject(document) || !isObject(document.info) || !isObject(document.packages)) {
    throw invalid(url, "it needs the objects info and packages");
  }
  const info = document.info;
  const packages = new Map<string, PyodideLockPackage>();
  for (const [key, entry] of Object.entries(document.packages)) {
    const parsed = parsePackage(entry, key, url);
    packages.set(normalizeName(key), parsed);
  }
  return {
    info: {
      abiVersion: stringField(info, "abi_version", "info", url),
      arch: optionalString(info.arch),
      platform: optionalString(info.platform),
      python: stringField(info, "python", "info", url),
    },
    packages,
  };
}

function parsePackage(entry: unknown, key: string, url: string): PyodideLockPackage {
  const where = `packages["${key}"]`;
  if (!isObject(entry)) throw invalid(url, `${where} is not an object`);
  const sha256 = stringField(entry, "sha256", where, url).toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw invalid(url, `${where}.sha256 is not a sha256 hex digest`);
  return {
    name: stringField(entry, "name", where, url),
    version: stringField(entry, "version", where, url),
    fileName: stringField(entry, "file_name", where, url),
    sha256,
    depends: stringList(entry.depends, `${where}.depends`, url).map(normalizeName),
    imports: stringList(entry.imports, `${where}.imports`, url),
    packageType: optionalString(entry.package_type) || "package",
    installDir: optionalString(entry.install_dir) || "site",
  };
}

function stringField(object: Record<string, unknown>, field: string, where: string, url: string): string {
  const value = object[field];
  if (typeof value !== "string" || value === "") throw invalid(url, `${where}.${field} is missing or not a string`);
  return value;
}

function optionalString(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function stringList(value: unknown, where: string, url: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) throw invalid(url, `${where} is not a list of strings`);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function invalid(url: string, problem: string): KilnError {
  return new KilnError("invalidIndexPage", `Cannot parse the Pyodide lock file ${url}: ${problem}`, {
    hint: "Check the Pyodide repository URL (pyodide-base-url); it should point at a directory holding pyodide-lock.json",
  });
}
