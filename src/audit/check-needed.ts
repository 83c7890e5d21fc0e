import type { DylinkInfo } from "../wasm/index.js";
import type { Finding } from "./finding.js";
import type { RuntimeManifest } from "./runtime-manifest.js";

/** Where each NEEDED library of a module was found. */
export interface NeededResolution {
  name: string;
  /** Path inside the wheel, or the runtime shared-library package, or undefined when missing. */
  foundAt?: string;
  via: "runtimePath" | "sameDirectory" | "wheelSearch" | "runtime" | "missing";
}

/**
 * Check 4: every NEEDED library must be found the way the loader looks: each RUNTIME_PATH
 * entry (`$ORIGIN` = the module's directory), then the module's own directory. A library found
 * elsewhere in the wheel only by name, or one the runtime's distribution ships as a
 * shared-library package, is reported; one found nowhere fails the load.
 *
 * @example
 * checkNeeded({ path: "pkg/_core.so", dylink, paths: new Set(files), manifest });
 */
export function checkNeeded(options: { path: string; dylink: DylinkInfo; paths: ReadonlySet<string>; manifest: RuntimeManifest }): { needed: NeededResolution[]; findings: Finding[] } {
  const { path, dylink, paths, manifest } = options;
  const directory = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
  const needed: NeededResolution[] = [];
  const findings: Finding[] = [];
  for (const name of dylink.needed) {
    const resolution = resolveNeeded(name, { directory, runtimePaths: dylink.runtimePaths, paths, manifest });
    needed.push(resolution);
    const base = { check: "needed" as const, file: path, evidence: resolution };
    if (resolution.via === "wheelSearch") {
      findings.push({ ...base, code: "neededOutsideRuntimePath", severity: "warning", message: `${name} is in the wheel at ${resolution.foundAt}, but RUNTIME_PATH does not point there; it loads only if something loaded it first` });
    } else if (resolution.via === "runtime") {
      findings.push({ ...base, code: "neededFromRuntime", severity: "warning", message: `${name} comes from the runtime's own shared-library package ${resolution.foundAt}, which is not on the public index and must be installed separately` });
    } else if (resolution.via === "missing") {
      findings.push({ ...base, code: "neededMissing", severity: "error", effect: "load", message: `${name} is NEEDED but neither the wheel nor the runtime provides it` });
    }
  }
  return { needed, findings };
}

function resolveNeeded(name: string, context: { directory: string; runtimePaths: string[]; paths: ReadonlySet<string>; manifest: RuntimeManifest }): NeededResolution {
  const base = name.slice(name.lastIndexOf("/") + 1);
  for (const runtimePath of context.runtimePaths) {
    const candidate = normalize(`${runtimePath.replace(/^\$ORIGIN|^\$\{ORIGIN\}/, context.directory)}/${name}`);
    if (candidate && context.paths.has(candidate)) return { name, foundAt: candidate, via: "runtimePath" };
  }
  const sibling = normalize(context.directory ? `${context.directory}/${name}` : name);
  if (sibling && context.paths.has(sibling)) return { name, foundAt: sibling, via: "sameDirectory" };
  const anywhere = [...context.paths].find((p) => p.endsWith(`/${base}`) || p === base);
  if (anywhere) return { name, foundAt: anywhere, via: "wheelSearch" };
  const stem = base.replace(/\.so(\.[\d.]+)?$/, "");
  const library = context.manifest.sharedLibraries.find((pkg) => pkg === stem || `lib${pkg}` === stem || pkg === stem.replace(/^lib/, ""));
  if (library) return { name, foundAt: library, via: "runtime" };
  return { name, via: "missing" };
}

/** Resolves `.` and `..` in a `/`-separated relative path; undefined when it climbs out. */
function normalize(path: string): string | undefined {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join("/");
}
