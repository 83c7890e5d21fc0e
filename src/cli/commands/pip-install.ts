import { writeOutputFile } from "../output-file.js";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { KilnError, type Reporter } from "../../core/index.js";
import {
  applyInstallPlan,
  checkInstalled,
  formatBrokenRequirement,
  installedAfter,
  parsedFromMetadataCache,
  pipInstallReport,
  planInstall,
  readInstalledWithMetadata,
  recoverEnvironment,
  type InstalledCandidate,
  type PlannedPackage,
} from "../../installer/index.js";
import type { HttpSession, PackageSource } from "../../index/index.js";
import type { RequirementsFileContents } from "../../lock/index.js";
import type { BinaryPolicy, TargetEnvironment } from "../../resolver/index.js";
import { nodeLocalFiles } from "../../platform/node.js";
import { nodeWheelMetadataCache } from "../../platform/node-wheel-metadata-cache.js";
import { commandCacheDir } from "../command-cache-dir.js";
import { normalizeName } from "../../pep508/index.js";
import { defineCommand, type CommandContext } from "../command.js";
import { kilnVersion } from "../main.js";
import { openPipEnvironment, pipCommonOptions, pipInstallSettings, pipLinkOptions, quietness, type PipEnvironment, type PipInstallSettings } from "./pip-environment.js";
import type { RuntimeSpec } from "../../runtime/index.js";
import { indexOptions, openPackageSource, targetAbiOf } from "../index-options.js";
import { compileInstalledIfWanted, pipCompileOptions } from "./pip-compile.js";
import { pipReporter } from "./pip-reporter.js";
import { buildTools } from "../build-tools.js";
import { binaryOptions, binaryPolicyOf, sdistBuilds, type SdistBuilds } from "../sdist-builds.js";
import { buildLocalRequirements, type LocalBuilds } from "./pip-local-builds.js";
import { readPipRequirements, type PipRequirements } from "./pip-requirements.js";

/** `kiln pip install`: pip's install, for the WASM environment. */
export const pipInstallCommand = defineCommand({
  name: "install",
  summary: "Install packages into a WASM virtual environment",
  description:
    "Resolves the requirements for the environment's runtime (its Python, platform tags and markers, from pyvenv.cfg) and\n" +
    "installs the wheels in one transaction. Installed versions that satisfy the requirements are kept unless\n" +
    "--upgrade, --upgrade-package or --force-reinstall says otherwise (pip's \"only-if-needed\" strategy).",
  usage: "[options] REQUIREMENT... | -r FILE | PATH.whl | PATH.tar.gz | DIR | -e DIR | URL",
  positionals: [{ name: "requirements", description: "PEP 508 requirements, paths or URLs of wheels and sdists, project directories", variadic: true }],
  options: [
    { name: "editable", short: "e", type: "string", multiple: true, valueName: "DIR", description: "Install a project directory in editable mode (PEP 660)" },
    { name: "requirement", short: "r", type: "string", multiple: true, valueName: "FILE", description: "Install from a requirements file" },
    { name: "constraint", short: "c", type: "string", multiple: true, valueName: "FILE", description: "Constrain versions with a constraints file" },
    { name: "upgrade", short: "U", type: "boolean", description: "Upgrade the named packages to their newest fitting versions" },
    { name: "upgrade-strategy", type: "string", valueName: "STRATEGY", description: "With --upgrade: only-if-needed (default) moves dependencies only when they do not fit; eager moves them all to their newest" },
    { name: "upgrade-package", short: "P", type: "string", multiple: true, valueName: "NAME", description: "Upgrade this package (may repeat)" },
    { name: "force-reinstall", type: "boolean", description: "Reinstall every package of the resolution, even at the same version" },
    { name: "no-deps", type: "boolean", description: "Install the named packages only, not their dependencies" },
    { name: "pre", type: "boolean", description: "Allow pre-release versions of every package" },
    { name: "dry-run", type: "boolean", description: "Resolve and report, but install nothing" },
    { name: "report", type: "string", valueName: "FILE", description: "Write pip's JSON installation report to FILE (- for stdout)" },
    { name: "require-hashes", type: "boolean", description: "Require a --hash for every package (on by itself when any requirement has one)" },
    ...pipCompileOptions,
    ...binaryOptions,
    ...indexOptions,
    ...pipCommonOptions,
    ...pipLinkOptions,
  ],
  run: async (context) => runPipInstall(context),
});

async function runPipInstall(context: CommandContext): Promise<number> {
  const options = context.arguments.options;
  const level = quietness(context);
  const reporter = pipReporter(context.output, { quietness: level, env: context.env });
  const environment = await openPipEnvironment(context);
  // Read first, so a bad --link-mode is refused even when nothing turns out to need installing.
  const installSettings = await pipInstallSettings(context);
  const wanted = await readPipRequirements(context, (context.arguments.positionals.requirements as string[] | undefined) ?? []);
  const withoutPip = wanted.requirements.filter((text) => !/^pip\s*($|[\[<>=!~;@ ])/i.test(text.trim()));
  if (withoutPip.length < wanted.requirements.length) {
    reporter.info("pip is provided by kiln in this environment (bin/pip and python -m pip run kiln pip); not installing pip");
    if (withoutPip.length === 0) return 0;
    wanted.requirements = withoutPip;
  }
  if (wanted.requirements.length === 0 && wanted.local.length === 0) {
    throw new KilnError("usage", "Nothing to install: give requirements, paths to wheels, or -r FILE", { hint: "kiln pip install pytest  or  kiln pip install -r requirements.txt" });
  }
  const { source, session } = await openPipPackageSource(context, wanted.contents, reporter, environment);
  if (options["dry-run"] !== true) await recoverEnvironment({ scheme: environment.scheme, fs: environment.fs, reporter });
  const tools = buildTools(context, { source, verbose: level < 0, ...(level < 0 ? { reporter } : {}) });
  const built = await buildLocalRequirements(wanted.local, { tools, session, target: environment.target, reporter });
  try {
    const builds = sdistBuilds(tools, { source, reporter });
    return await installWanted(context, { ...wanted, requirements: [...wanted.requirements, ...built.requirements] }, { environment, source, session, reporter, built, builds, installSettings });
  } finally {
    await built.cleanup();
  }
}

async function installWanted(
  context: CommandContext,
  wanted: PipRequirements,
  { environment, source, session, reporter, built, builds, installSettings }: {
    environment: PipEnvironment;
    source: PackageSource;
    session: HttpSession;
    reporter: Reporter;
    built: LocalBuilds;
    builds: SdistBuilds;
    installSettings: PipInstallSettings;
  },
): Promise<number> {
  const options = context.arguments.options;
  const level = quietness(context);
  const installed = await readInstalledWithMetadata(environment.scheme, environment.fs, { record: false });
  const started = Date.now();
  const upgradePackages = Array.isArray(options["upgrade-package"]) ? options["upgrade-package"].map(String) : [];
  const metadataCache = installSettings.wheelCache ? nodeWheelMetadataCache(commandCacheDir(context)) : undefined;
  const plan = await planInstall(
    {
      requirements: wanted.requirements,
      constraints: wanted.constraints,
      upgrade: options.upgrade === true,
      upgradeStrategy: upgradeStrategyOf(context),
      upgradePackages,
      forceReinstall: options["force-reinstall"] === true,
      noDeps: options["no-deps"] === true,
      pre: wanted.pre,
      reinstall: built.reinstall,
    },
    {
      source,
      target: environment.target,
      installed,
      direct: { session, localFiles: nodeLocalFiles },
      reporter,
      sdists: builds.provider,
      ...binaryPolicyOption(context),
      ...(metadataCache ? { metadataCache } : {}),
    },
  );
  saveMetadataCache(metadataCache, reporter);
  if (plan.kind === "unsatisfiable") {
    const target = environment.target;
    throw new KilnError("noSolution", `Cannot install for ${target.platformTags[0]} (Python ${target.pythonVersion}):\n${plan.explanation}`, {
      ...(plan.hints.length ? { hint: plan.hints.join("\n      ") } : {}),
    });
  }
  reporter.info(`Resolved ${plan.packages.length} package${plan.packages.length === 1 ? "" : "s"} in ${Date.now() - started} ms`);
  const say = (line: string) => level <= 0 && context.output.line(line);
  for (const kept of plan.packages.filter((p) => p.action === "keep")) say(`Requirement already satisfied: ${kept.displayName} in ${environment.venv.sitePackages} (${kept.version})`);
  if (typeof options.report === "string") await writeReport(context, options.report, plan.packages, { environment, source: plan.metadataSource, builds });
  const changing = plan.packages.filter((p) => p.action !== "keep");
  if (options["dry-run"] === true) {
    if (changing.length) say(`Would install ${changing.map(nameVersion).join(" ")}`);
    return 0;
  }
  if (changing.length === 0) return 0;
  const installStarted = Date.now();
  const result = await applyInstallPlan(plan.packages, {
    source: plan.source,
    scheme: environment.scheme,
    fs: environment.fs,
    reporter,
    ...installSettings,
    directUrls: built.directUrls,
    buildSdist: builds.buildSdist,
    ...(wanted.requiredHashes ? { requiredHashes: wanted.requiredHashes } : {}),
  });
  reporter.info(`Installed ${result.installed.length} package${result.installed.length === 1 ? "" : "s"} in ${Date.now() - installStarted} ms`);
  for (const removed of result.removed) reporter.debug(`Removed ${removed.name} ${removed.version}`);
  await compileInstalledIfWanted(context, environment, result.installed.map((w) => w.distInfo), reporter);
  say(`Successfully installed ${result.installed.map((w) => `${w.name}-${w.version}`).join(" ")}`);
  if (mayConflict({ noDeps: options["no-deps"] === true, installed, planned: plan.packages })) {
    // What the resolver's parsed-metadata cache holds for the installed wheels is neither read nor parsed again.
    const after = await installedAfter(installed, result, environment.fs, metadataCache ? { parsed: parsedFromMetadataCache(plan.packages, metadataCache) } : {});
    warnAboutConflicts(environment, after, new Set(changing.map((p) => p.name)), reporter);
  }
  return 0;
}

/**
 * The package source of a pip command: its index flags over the requirement files' index lines
 * and the user's configuration, with the Pyodide repository of the environment's runtime (a
 * `pyodide@X`'s own, else the embedded runtime's) as a fallback as for every command (see
 * packageSourceOf), offering its files only to a target of the repository's ABI: its shared
 * libraries carry no wheel tags to reject them by.
 */
export async function openPipPackageSource(
  context: CommandContext,
  contents: RequirementsFileContents,
  reporter: Reporter,
  environment: { target: TargetEnvironment; venv?: { runtime: RuntimeSpec } },
) {
  if (context.arguments.options["no-cache-dir"] === true) context.arguments.options["no-cache"] = true;
  const fromRequirementsFile = {
    ...(contents.indexUrl ? { indexUrl: contents.indexUrl } : {}),
    extraIndexUrls: contents.extraIndexUrls,
    findLinks: contents.findLinks,
    noIndex: contents.noIndex,
  };
  const runtime = environment.venv?.runtime;
  return openPackageSource(context, { reporter, fromRequirementsFile, targetAbi: targetAbiOf(environment.target), ...(runtime ? { runtime } : {}) });
}

/** The sha256 of a `file:` URL's file (read in one go: a wheel), undefined for other URLs or an unreadable file. */
function localFileSha256(url: string): Promise<string | undefined> {
  if (!url.startsWith("file:")) return Promise.resolve(undefined);
  try {
    // Synchronously: node:fs/promises is not loaded by a warm install, and only --report needs this.
    return Promise.resolve(createHash("sha256").update(readFileSync(fileURLToPath(url))).digest("hex"));
  } catch {
    return Promise.resolve(undefined);
  }
}

function nameVersion(planned: PlannedPackage): string {
  return `${planned.displayName}-${planned.version}`;
}

async function writeReport(context: CommandContext, file: string, packages: PlannedPackage[], options: { environment: PipEnvironment; source: PackageSource; builds: SdistBuilds }): Promise<void> {
  const report = await pipInstallReport(packages, {
    target: options.environment.target,
    version: kilnVersion,
    metadataOf: (planned) => (planned.fromSource ? options.builds.provider.metadata(planned.wheel!) : options.source.fetchMetadata(planned.wheel!)),
    sha256Of: localFileSha256,
  });
  const text = `${JSON.stringify(report, null, 2)}\n`;
  if (file === "-") context.output.stdout.write(text);
  else await writeOutputFile(resolve(context.cwd, file), text, "the installation report");
}

/** pip's after-install check: dependency conflicts that involve what was just installed. */
/**
 * Whether the installation can have broken a requirement, so that pip's after-install check is
 * worth reading every installed METADATA again: with dependencies resolved and every distribution
 * that was installed before part of the resolution (kept, upgraded or replaced), the environment
 * is the resolver's consistent answer (the common case of installing into a fresh environment).
 */
function mayConflict(options: { noDeps: boolean; installed: readonly { name: string }[]; planned: readonly PlannedPackage[] }): boolean {
  if (options.noDeps) return true;
  const resolved = new Set(options.planned.map((p) => normalizeName(p.name)));
  return options.installed.some((dist) => !resolved.has(normalizeName(dist.name)));
}

function warnAboutConflicts(environment: PipEnvironment, installed: readonly InstalledCandidate[], changed: ReadonlySet<string>, reporter: Reporter): void {
  const broken = checkInstalled(installed, environment.target.markerEnvironment).filter(
    (problem) => changed.has(normalizeName(problem.name)) || changed.has(normalizeName(problem.dependency)),
  );
  for (const problem of broken) reporter.warn(formatBrokenRequirement(problem));
}

/** Writes what the resolution added to the parsed-metadata cache; a cache that cannot be written does not fail the install. */
function saveMetadataCache(cache: ReturnType<typeof nodeWheelMetadataCache> | undefined, reporter: Reporter): void {
  try {
    cache?.flush();
  } catch (error) {
    reporter.debug(`Cannot write the wheel metadata cache ${cache!.path}: ${(error as Error)?.message ?? String(error)}`);
  }
}

function upgradeStrategyOf(context: CommandContext): "eager" | "only-if-needed" {
  const given = context.arguments.options["upgrade-strategy"];
  if (given === undefined || given === "only-if-needed" || given === "eager") return given ?? "only-if-needed";
  throw new KilnError("usage", `--upgrade-strategy "${String(given)}": not a strategy`, { hint: "Use only-if-needed or eager" });
}

function binaryPolicyOption(context: CommandContext): { binaryPolicy?: BinaryPolicy } {
  const policy = binaryPolicyOf(context);
  return policy ? { binaryPolicy: policy } : {};
}
