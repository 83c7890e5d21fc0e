import { KilnError } from "../../core/index.js";
import { formatVersion } from "../../pep440/index.js";
import { normalizeName, parseRequirement } from "../../pep508/index.js";
import { parsePyodideLock } from "../../index/index.js";
import { nodePyodideRepository } from "../../platform/node.js";
import { resolveRequirements, type ResolvedPackage, type TargetEnvironment } from "../../resolver/index.js";
import { buildTools } from "../build-tools.js";
import type { CommandContext } from "../command.js";
import { binaryPolicyOf, sdistBuilds } from "../sdist-builds.js";
import { pipReporter } from "./pip-reporter.js";
import { resolveSettings, type ResolveSettings } from "../resolve-settings.js";

/** A successful resolution with the settings that produced it. */
export interface Resolved {
  settings: ResolveSettings;
  packages: ResolvedPackage[];
  target: TargetEnvironment;
  /** Normalized name → where it was required directly, for `# via` comments. */
  direct: Map<string, string>;
}

/**
 * Resolves the command's requirements; an unsatisfiable set becomes a `noSolution` error whose
 * message is the explanation and whose hint lists the passed-over versions.
 *
 * @example
 * const resolved = await runResolution(context, positionals, preferences);
 */
export async function runResolution(context: CommandContext, positional: readonly string[], preferences: ReadonlyMap<string, string>): Promise<Resolved> {
  const settings = await resolveSettings(context, positional);
  const started = Date.now();
  const reporter = pipReporter(context.output, { quietness: 0, env: context.env });
  const tools = buildTools(context, { source: settings.source, verbose: false, target: settings.target });
  const policy = binaryPolicyOf(context);
  const result = await resolveRequirements(settings.input.requirements, {
    source: settings.source,
    target: settings.target,
    constraints: settings.input.constraints,
    pre: settings.input.pre,
    preferences,
    sdists: sdistBuilds(tools, { source: settings.source, reporter }).provider,
    ...(policy ? { binaryPolicy: policy } : {}),
  });
  if (result.kind === "unsatisfiable") {
    const hints = [...result.hints, ...(settings.index.noPyodideIndex ? await repositoryHints(result.names) : [])];
    throw new KilnError("noSolution", `No solution for ${settings.target.platformTags[0]} (Python ${settings.target.pythonVersion}):\n${result.explanation}`, {
      ...(hints.length ? { hint: hints.join("\n      ") } : {}),
    });
  }
  context.output.note(`Resolved ${result.packages.length} packages in ${Date.now() - started} ms`);
  const direct = new Map<string, string>();
  for (const [requirement, label] of settings.input.origins) direct.set(normalizeName(parseRequirement(requirement).name), label);
  return { settings, packages: result.packages, target: result.target, direct };
}

/** The resolution as JSON for `--json`. */
export function resolutionJson(resolved: Resolved, output: string | undefined): unknown {
  return {
    target: { python: resolved.target.pythonVersion, platform: resolved.target.platformTags[0] },
    output: output ?? null,
    packages: resolved.packages.map((p) => ({ name: p.name, version: formatVersion(p.version), wheel: p.wheels[0]?.url ?? null, dependencies: p.dependencies })),
  };
}

/** With `--no-pyodide-index`: which of the packages a failure involves the embedded runtime's Pyodide repository has. */
async function repositoryHints(names: readonly string[]): Promise<string[]> {
  const { lockText, baseUrl } = await nodePyodideRepository();
  const lock = parsePyodideLock(lockText, baseUrl);
  return names.flatMap((name) => {
    const entry = lock.packages.get(name);
    return entry ? [`the runtime's Pyodide repository has ${entry.name} ${entry.version}; --no-pyodide-index leaves it out`] : [];
  });
}
