import { parse as parseToml } from "smol-toml";
import { KilnError } from "../core/index.js";
import { parseRequirement } from "../pep508/index.js";

/** A project's `[build-system]` table (PEP 517/518), with the legacy defaults filled in. */
export interface BuildSystem {
  /** PEP 508 requirements to install before the backend is imported. */
  requires: string[];
  /** `module.path` or `module.path:object.path`. */
  buildBackend: string;
  /** Directories (relative to the project, `/`-separated, normalized) prepended to `sys.path` for an in-tree backend. */
  backendPath: string[];
  /** True when the project names no backend and the setuptools legacy backend is used. */
  legacy: boolean;
}

/** The backend and requirements pip and build use when a project names none (PEP 517). */
export const legacyBuildSystem: BuildSystem = Object.freeze({
  requires: ["setuptools>=40.8.0"],
  buildBackend: "setuptools.build_meta:__legacy__",
  backendPath: [],
  legacy: true,
}) as BuildSystem;

function invalid(project: string, why: string, hint: string, cause?: unknown): KilnError {
  return new KilnError("invalidPyproject", `Cannot read the build system of "${project}": ${why}`, { hint, cause });
}

/**
 * Parses `pyproject.toml` text (or none, for a `setup.py`-only project) into a {@link BuildSystem}.
 * As in pip and build: no file or no `[build-system]` table means the setuptools legacy backend
 * with `setuptools>=40.8.0`; a table without `requires` is an error (PEP 518); a table without
 * `build-backend` keeps its `requires` and uses the legacy backend; `backend-path` entries must
 * be relative and stay inside the project (PEP 517).
 *
 * @example
 * readBuildSystem('[build-system]\nrequires = ["flit_core>=3.2"]\nbuild-backend = "flit_core.buildapi"\n', "/src/pkg");
 * // { requires: ["flit_core>=3.2"], buildBackend: "flit_core.buildapi", backendPath: [], legacy: false }
 */
export function readBuildSystem(pyproject: string | undefined, project: string): BuildSystem {
  if (pyproject === undefined) return { ...legacyBuildSystem, requires: [...legacyBuildSystem.requires] };
  const document = parsePyproject(pyproject, project);
  const table = document["build-system"];
  if (table === undefined) return { ...legacyBuildSystem, requires: [...legacyBuildSystem.requires] };
  if (!isTable(table)) throw invalid(project, "[build-system] is not a table", "Write it as a [build-system] table with requires and build-backend");
  const requires = readRequires(table.requires, project);
  const backend = table["build-backend"];
  if (backend !== undefined && (typeof backend !== "string" || !/^[A-Za-z_][\w.]*(:[A-Za-z_][\w.]*)?$/.test(backend.trim()))) {
    throw invalid(project, `build-backend ${JSON.stringify(backend)} is not a "module:object" reference`, 'Name the backend as in build-backend = "hatchling.build"');
  }
  return {
    requires,
    buildBackend: backend === undefined ? legacyBuildSystem.buildBackend : backend.trim(),
    backendPath: readBackendPath(table["backend-path"], project),
    legacy: backend === undefined,
  };
}

/** Parses `pyproject.toml`, turning TOML errors into a {@link KilnError} naming the project. */
export function parsePyproject(text: string, project: string): Record<string, unknown> {
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (error) {
    const detail = (error as Error).message.split("\n")[0];
    throw invalid(project, `pyproject.toml is not valid TOML: ${detail}`, "Fix the TOML syntax of pyproject.toml", error);
  }
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function readRequires(value: unknown, project: string): string[] {
  if (value === undefined) {
    throw invalid(project, "[build-system] has no requires key", 'PEP 518 requires it: add requires = ["setuptools>=61"] (or your backend)');
  }
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    throw invalid(project, "[build-system] requires is not a list of strings", 'Write it as requires = ["hatchling"]');
  }
  for (const requirement of value as string[]) {
    try {
      parseRequirement(requirement);
    } catch (error) {
      throw invalid(project, `[build-system] requires ${JSON.stringify(requirement)} is not a PEP 508 requirement`, "Fix the requirement in pyproject.toml", error);
    }
  }
  return [...(value as string[])];
}

function readBackendPath(value: unknown, project: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    throw invalid(project, "[build-system] backend-path is not a list of strings", 'Write it as backend-path = ["_build"]');
  }
  return (value as string[]).map((entry) => {
    const segments = entry.replace(/\\/g, "/").split("/").filter((s) => s !== "" && s !== ".");
    const escapes = entry.startsWith("/") || /^[A-Za-z]:/.test(entry) || segments.reduce((depth, s) => (depth < 0 ? depth : depth + (s === ".." ? -1 : 1)), 0) < 0;
    if (escapes) throw invalid(project, `backend-path ${JSON.stringify(entry)} points outside the project`, "PEP 517: backend-path entries are relative paths inside the source tree");
    return normalize(segments);
  });
}

function normalize(segments: string[]): string {
  const out: string[] = [];
  for (const segment of segments) {
    if (segment === "..") out.pop();
    else out.push(segment);
  }
  return out.join("/") || ".";
}
