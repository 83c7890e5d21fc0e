import type { DistributionFile, PackageSource } from "../index/index.js";
import { formatVersion, parseVersion, type Version, type VersionRange } from "../pep440/index.js";
import { contradictingRequirements } from "./contradicting-requirements.js";
import { explainFailure } from "./explain-failure.js";
import type { Incompatibility } from "./incompatibility.js";
import { pep440Algebra } from "./pep440-algebra.js";
import { failureHints, failureNames, versionHints } from "./failure-hints.js";
import { PythonProvider, type PythonProviderOptions } from "./python-provider.js";
import { parsePackageId, rootPackage } from "./python-packages.js";
import { solve } from "./solve.js";
import { targetForAbi, type TargetEnvironment } from "./target-environment.js";

/** Options for {@link resolveRequirements}: those of the provider it runs (see {@link PythonProviderOptions}). */
export interface ResolveOptions extends Omit<PythonProviderOptions, "target" | "requirements"> {
  /** Default: the embedded runtime's ABI ({@link targetForAbi}). */
  target?: TargetEnvironment;
}

/** One package of a successful resolution. */
export interface ResolvedPackage {
  /** Normalized name. */
  name: string;
  /** The name as its metadata spells it. */
  displayName: string;
  version: Version;
  /** Compatible wheels, best first; the first is the one to install. Empty when built from `sdist`. */
  wheels: DistributionFile[];
  /** The sdist to build, when the version has no wheel to install. */
  sdist?: DistributionFile;
  /** Normalized names of the resolved packages it depends on. */
  dependencies: string[];
  /** Extras of this package that were requested somewhere. */
  extras: string[];
}

/** The outcome of {@link resolveRequirements}: packages sorted by name, or why there are none. */
export type ResolveResult =
  | { kind: "resolved"; packages: ResolvedPackage[]; target: TargetEnvironment }
  | {
      kind: "unsatisfiable";
      explanation: string;
      hints: string[];
      /** The packages the explanation involves (normalized names, sorted). */
      names: string[];
    };

/**
 * Resolves requirements for one target environment: which wheel of which version of every
 * package to install. A resolution that cannot succeed is returned as an explanation in plain
 * words plus hints (versions passed over for lack of a wheel, for `Requires-Python`, as yanked or
 * as pre-releases); I/O failures throw. A source with fallbacks
 * (`PackageSource.withoutFallbacks`) is first tried without them.
 *
 * @example
 * const result = await resolveRequirements(["pytest"], { source });
 * if (result.kind === "resolved") for (const p of result.packages) console.log(p.name, formatVersion(p.version));
 */
export async function resolveRequirements(requirements: readonly string[], options: ResolveOptions): Promise<ResolveResult> {
  // Fallback sources (the runtime's Pyodide repository) are for what the indexes cannot serve:
  // they join only when the requirements cannot be met without them, so they never replace a
  // working index-only resolution with older builds, or with files from a server out of reach.
  const primary = options.source.withoutFallbacks?.();
  if (primary) {
    const first = await resolveFrom(requirements, { ...options, source: primary });
    if (first.kind === "resolved") return first;
  }
  return resolveFrom(requirements, options);
}

async function resolveFrom(requirements: readonly string[], options: ResolveOptions): Promise<ResolveResult> {
  const target = options.target ?? targetForAbi();
  const contradicting = contradictingRequirements(requirements, options.constraints ?? [], target.markerEnvironment);
  if (contradicting) {
    const texts = contradicting.texts;
    const listed = texts.length === 1 ? texts[0] : texts.length === 2 ? texts.join(" and ") : `${texts.slice(0, -1).join(", ")} and ${texts.at(-1)}`;
    return {
      kind: "unsatisfiable",
      explanation: `Because you require ${listed}, which no version of ${contradicting.name} satisfies${texts.length > 1 ? " together" : ""}, your requirements are unsatisfiable.`,
      hints: [`Loosen or drop one of the requirements on ${contradicting.name}`],
      names: [contradicting.name],
    };
  }
  const provider = new PythonProvider({ ...options, target, requirements });
  const result = await solve({ algebra: pep440Algebra, provider, rootPackage, rootVersion: parseVersion("0") });
  if (result.kind === "failed") {
    const explanation = explain(result.incompatibility, provider);
    return {
      kind: "unsatisfiable",
      explanation,
      hints: [...failureHints(result.incompatibility, provider, target), ...versionHints(result.incompatibility, provider, { target, explanation })],
      names: failureNames(result.incompatibility),
    };
  }
  const extras = new Map<string, string[]>();
  const versions = new Map<string, Version>();
  for (const [id, version] of result.solution) {
    if (id === rootPackage) continue;
    const { name, extra } = parsePackageId(id);
    if (extra === undefined) versions.set(name, version);
    else extras.set(name, [...(extras.get(name) ?? []), extra]);
  }
  const packages: ResolvedPackage[] = [];
  for (const [name, version] of [...versions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const dependencies = [...(provider.dependencyNames.get(`${name}==${formatVersion(version)}`) ?? [])].filter((d) => versions.has(d)).sort();
    const sdist = await provider.sdistOf(name, version);
    packages.push({
      name,
      displayName: await provider.displayNameOf(name, version),
      version,
      ...(sdist ? { sdist } : {}),
      wheels: await provider.wheelsOf(name, version),
      dependencies,
      extras: (extras.get(name) ?? []).sort(),
    });
  }
  return { kind: "resolved", packages, target };
}


function explain(incompatibility: Incompatibility<VersionRange>, provider: PythonProvider): string {
  return explainFailure(incompatibility, {
    algebra: pep440Algebra,
    rootPackage,
    rootWording: { subject: "you", dependsOn: "require", requires: "require" },
    forbidden: "cannot be used",
    failure: "your requirements are unsatisfiable",
    noVersions: (term) => `no usable version of ${term} exists`,
    formatTerm: (name, set) => `${name}${formatRange(set)}`,
    simplify: (name, set) => provider.simplifyRange(parsePackageId(name).name, set),
  });
}

function formatRange(set: VersionRange): string {
  const text = set.toString();
  return /^[<>=!~]/.test(text) ? text : ` ${text}`;
}
