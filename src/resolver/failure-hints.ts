import type { VersionRange } from "../pep440/index.js";
import type { Incompatibility } from "./incompatibility.js";
import type { PythonProvider } from "./python-provider.js";
import { parsePackageId, rootPackage } from "./python-packages.js";
import type { TargetEnvironment } from "./target-environment.js";

/**
 * Hints for a failed resolution: for every package the explanation mentions, the versions that
 * were passed over and why (no wheel for the target, only a source distribution, Requires-Python,
 * yanked, pre-release), newest first, one line per reason.
 *
 * @example
 * failureHints(result.incompatibility, provider, target);
 * // ["numpy 2.1.0 has wheels only for Linux, macOS and Windows; no wheel for pyemscripten_2026_0_wasm32 (nor for 80 older versions)"]
 */
export function failureHints(root: Incompatibility<VersionRange>, provider: PythonProvider, target: TargetEnvironment): string[] {
  const hints: string[] = [];
  for (const name of failureNames(root)) {
    const skipped = provider.skipped.get(name);
    if (!skipped) continue;
    const byKind = new Map<string, Array<[string, unknown]>>();
    for (const [version, reason] of skipped) {
      const list = byKind.get(reason.kind) ?? [];
      list.push([version, reason]);
      byKind.set(reason.kind, list);
    }
    for (const [kind, list] of byKind) hints.push(describe(name, kind, list, target));
  }
  return hints;
}

/** Shown at most, newest last (pip lists every version). */
const listedVersionsShown = 20;

/**
 * For a requirement no usable version satisfies (`lib==9`), the usable versions there are, as
 * pip's "from versions: …" gives them: oldest first, the newest {@link listedVersionsShown}. Only
 * for packages the explanation says so of ("no usable version of lib==9"), not for the
 * solver's internal "no other version" facts.
 *
 * @example
 * versionHints(result.incompatibility, provider, { target, explanation });
 * // ["lib has versions 2.0, 2.1 for pyemscripten_2026_0_wasm32; none is in ==9"]
 */
export function versionHints(root: Incompatibility<VersionRange>, provider: PythonProvider, context: { target: TargetEnvironment; explanation: string }): string[] {
  const hints: string[] = [];
  for (const [id, range] of noVersionTerms(root)) {
    const { name, extra } = parsePackageId(id);
    if (extra !== undefined || !context.explanation.includes(`no usable version of ${name}`)) continue;
    const versions = provider.listedVersions(name);
    if (!versions || versions.length === 0) continue;
    const shown = versions.slice(0, listedVersionsShown).reverse();
    const more = versions.length > shown.length ? `${versions.length - shown.length} older, ` : "";
    hints.push(`${name} has ${versions.length === 1 ? "version" : "versions"} ${more}${shown.join(", ")} for ${context.target.platformTags[0] ?? "the target"}; none is in ${range.toString()}`);
  }
  return hints;
}

/** The positive terms of the derivation's "no versions" facts, by package id. */
function noVersionTerms(root: Incompatibility<VersionRange>): Map<string, VersionRange> {
  const terms = new Map<string, VersionRange>();
  for (const incompatibility of externalIncompatibilities(root)) {
    if (incompatibility.cause.kind !== "noVersions") continue;
    for (const [id, term] of incompatibility.terms) if (id !== rootPackage && term.positive && !terms.has(id)) terms.set(id, term.set);
  }
  return terms;
}

/** The facts a derivation rests on (every incompatibility that is not derived), each once, conflict side first. */
function externalIncompatibilities(root: Incompatibility<VersionRange>): Array<Incompatibility<VersionRange>> {
  const found: Array<Incompatibility<VersionRange>> = [];
  const seen = new Set<Incompatibility<VersionRange>>();
  const walk = (incompatibility: Incompatibility<VersionRange>) => {
    if (seen.has(incompatibility)) return;
    seen.add(incompatibility);
    const cause = incompatibility.cause;
    if (cause.kind === "derived") {
      walk(cause.conflict);
      walk(cause.other);
    } else {
      found.push(incompatibility);
    }
  };
  walk(root);
  return found;
}

function describe(name: string, kind: string, list: Array<[string, unknown]>, target: TargetEnvironment): string {
  // Skips are noted newest first because candidates are scanned newest first.
  const [newest, reason] = list[0]! as [string, Record<string, unknown>];
  const others = list.length > 1 ? ` (nor ${list.length - 1} other version${list.length > 2 ? "s" : ""})` : "";
  const othersToo = list.length > 1 ? ` (so do ${list.length - 1} other version${list.length > 2 ? "s" : ""})` : "";
  switch (kind) {
    case "noWheel": {
      const platforms = reason.platforms as string[];
      return `${name} ${newest} has wheels only for ${listWords(platforms)}; no wheel for ${target.platformTags[0] ?? "the target"}${others}`;
    }
    case "invalidWheelName":
      return `${name} ${newest} has only ${String(reason.filename)}, whose name is not a valid wheel name (PEP 427: name-version[-build]-python-abi-platform.whl), so it is ignored${othersToo}`;
    case "sourceOnly":
      return `${name} ${newest} has only a source distribution, and only wheels are used here (--only-binary, or a build requirement)${othersToo}`;
    case "noSdist":
      return `${name} ${newest} has no source distribution to build (--no-binary)${othersToo}`;
    case "nativeSdist":
      return `${name} ${newest} has no wheel for ${target.platformTags[0] ?? "the target"} and its sdist cannot be built here: ${String(reason.message)}${othersToo}`;
    case "requiresPython":
      return `${name} ${newest} requires Python ${String(reason.requiresPython)}, but the target has ${target.pythonVersion}${othersToo}`;
    case "yanked":
      return `${name} ${newest} was yanked${reason.reason ? ` (${String(reason.reason)})` : ""}; pin it with ==${newest} to use it anyway${othersToo}`;
    default:
      return `${name} ${newest} is a pre-release; pass --pre or require it with a pre-release specifier (${name}>=${newest}) to allow it${othersToo}`;
  }
}

function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "other platforms";
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/**
 * The packages (normalized base names, sorted) a failed resolution's explanation involves.
 *
 * @example
 * failureNames(result.incompatibility); // ["numpy", "uses-numpy"]
 */
export function failureNames(root: Incompatibility<VersionRange>): string[] {
  const names = new Set<string>();
  for (const incompatibility of externalIncompatibilities(root)) {
    for (const id of incompatibility.terms.keys()) if (id !== rootPackage) names.add(parsePackageId(id).name);
  }
  return [...names].sort();
}
