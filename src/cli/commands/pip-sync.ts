import { readFile } from "../../platform/node-fs-promises.js";
import { resolve } from "node:path";
import { KilnError } from "../../core/index.js";
import type { PackageSource } from "../../index/index.js";
import {
  applyInstallPlan,
  DirectFilesSource,
  planInstall,
  planLockSync,
  readInstalledWithMetadata,
  recoverEnvironment,
  uninstallDistribution,
  type InstalledCandidate,
  type PlannedPackage,
} from "../../installer/index.js";
import { emptyRequirementsFileContents, parsePylock } from "../../lock/index.js";
import { normalizeName, parseRequirement } from "../../pep508/index.js";
import { nodeLocalFiles } from "../../platform/node.js";
import { defineCommand, type CommandContext } from "../command.js";
import { indexOptions } from "../index-options.js";
import { openPipEnvironment, pipCommonOptions, pipInstallSettings, pipLinkOptions, quietness, type PipEnvironment } from "./pip-environment.js";
import { buildTools } from "../build-tools.js";
import { sdistBuilds, type SdistBuilds } from "../sdist-builds.js";
import { openPipPackageSource } from "./pip-install.js";
import { compileInstalledIfWanted, pipCompileOptions } from "./pip-compile.js";
import { pipReporter } from "./pip-reporter.js";
import { readPipRequirements, refuseLocalBuilds } from "./pip-requirements.js";
import type { Reporter } from "../../core/index.js";

/** `kiln pip sync`: make the environment exactly what a lock says. */
/** A PEP 751 lock's name: `pylock.toml` or `pylock.NAME.toml`. */
const pylockName = /(^|[/\\])pylock(\.[^/\\]+)?\.toml$/;

export const pipSyncCommand = defineCommand({
  name: "sync",
  summary: "Make the environment match a lock exactly (pylock.toml or pinned requirements)",
  description:
    "Installs what the file names at the versions it names and uninstalls everything else, like pip-sync and uv pip sync.\n" +
    "A pylock.toml (PEP 751) is not resolved again: each package's best wheel for the environment's platform is installed.\n" +
    "A requirements file must pin every package (==); its dependencies are not added.",
  usage: "pylock.toml | requirements.txt [--dry-run]",
  positionals: [{ name: "file", description: "pylock.toml (or pylock.*.toml), or a pinned requirements file", required: true }],
  options: [
    { name: "dry-run", type: "boolean", description: "Show what would change, change nothing" },
    { name: "reinstall", type: "boolean", description: "Reinstall packages already at the locked version" },
    { name: "require-hashes", type: "boolean", description: "Require a --hash for every package of a requirements file" },
    ...indexOptions,
    ...pipCommonOptions,
    ...pipLinkOptions,
    ...pipCompileOptions,
  ],
  run: async (context) => {
    const level = quietness(context);
    const file = String(context.arguments.positionals.file);
    if (/\.toml$/i.test(file) && !pylockName.test(file)) {
      throw new KilnError("usage", `Cannot sync to "${file}": a lock file is named pylock.toml or pylock.NAME.toml (PEP 751), and a requirements file is not TOML`, {
        hint: "Rename the lock to pylock.toml (or pylock.NAME.toml)",
      });
    }
    const reporter = pipReporter(context.output, { quietness: level, env: context.env });
    const environment = await openPipEnvironment(context);
    if (context.arguments.options["dry-run"] !== true) await recoverEnvironment({ scheme: environment.scheme, fs: environment.fs, reporter });
    const installed = await readInstalledWithMetadata(environment.scheme, environment.fs);
    const plan = pylockName.test(file)
      ? await lockPlan(context, { file, installed, environment, reporter })
      : await requirementsPlan(context, { file, installed, environment, reporter });
    return applySync(context, { ...plan, environment, reporter, level });
  },
});

interface Planned {
  packages: PlannedPackage[];
  extraneous: InstalledCandidate[];
  source: PackageSource;
  requiredHashes?: Map<string, string[]>;
  builds: SdistBuilds;
}

interface PlanContext {
  file: string;
  installed: InstalledCandidate[];
  environment: PipEnvironment;
  reporter: Reporter;
}

async function lockPlan(context: CommandContext, { file, installed, environment, reporter }: PlanContext): Promise<Planned> {
  const path = resolve(context.cwd, file);
  const text = await readFile(path, "utf8").catch((error: Error) => {
    throw new KilnError("invalidLockFile", `Cannot read ${file}: ${error.message}`, { hint: "Write one with kiln lock" });
  });
  const { session, source: index } = await openPipPackageSource(context, emptyRequirementsFileContents(), reporter, environment);
  const plan = planLockSync(parsePylock(text, file), { installed, target: environment.target, reinstall: context.arguments.options.reinstall === true });
  return { ...plan, source: new DirectFilesSource({ files: [], session, localFiles: nodeLocalFiles }), builds: builds(context, index, reporter) };
}

async function requirementsPlan(context: CommandContext, { file, installed, environment, reporter }: PlanContext): Promise<Planned> {
  context.arguments.options.requirement = [file];
  const wanted = await readPipRequirements(context, []);
  refuseLocalBuilds(wanted, "kiln pip sync");
  for (const text of wanted.requirements) {
    const requirement = parseRequirement(text);
    const pinned = requirement.url !== undefined || (requirement.specifier.specifiers.length === 1 && requirement.specifier.specifiers[0]!.operator.startsWith("=="));
    if (!pinned) throw new KilnError("usage", `Cannot sync to "${text}" in ${file}: sync needs every package pinned with ==`, { hint: "Pin the file with kiln pip compile, or use kiln pip install" });
  }
  const { source, session } = await openPipPackageSource(context, wanted.contents, reporter, environment);
  const names = wanted.requirements.map((text) => normalizeName(parseRequirement(text).name));
  const sdistsFor = builds(context, source, reporter);
  const result = await planInstall(
    { requirements: wanted.requirements, constraints: wanted.constraints, noDeps: true, upgradePackages: names, forceReinstall: context.arguments.options.reinstall === true, pre: true },
    { source, target: environment.target, installed, direct: { session, localFiles: nodeLocalFiles }, reporter, sdists: sdistsFor.provider },
  );
  if (result.kind === "unsatisfiable") {
    throw new KilnError("noSolution", `Cannot sync to ${file} on ${environment.target.platformTags[0]}:\n${result.explanation}`, result.hints.length ? { hint: result.hints.join("\n      ") } : {});
  }
  const wantedNames = new Set(result.packages.map((p) => p.name));
  const planned: Planned = { packages: result.packages, extraneous: installed.filter((dist) => !wantedNames.has(normalizeName(dist.name))), source: result.source, builds: sdistsFor };
  if (wanted.requiredHashes) planned.requiredHashes = wanted.requiredHashes;
  return planned;
}

async function applySync(context: CommandContext, plan: Planned & { environment: PipEnvironment; reporter: Reporter; level: number }): Promise<number> {
  const say = (line: string) => plan.level <= 0 && context.output.line(line);
  const changing = plan.packages.filter((p) => p.action !== "keep");
  if (context.arguments.options["dry-run"] === true) {
    if (changing.length) say(`Would install ${changing.map((p) => `${p.displayName}-${p.version}`).join(" ")}`);
    if (plan.extraneous.length) say(`Would uninstall ${plan.extraneous.map((d) => `${d.name}-${d.version}`).join(" ")}`);
    if (!changing.length && !plan.extraneous.length) say("Everything is in sync");
    return 0;
  }
  const { scheme, fs } = plan.environment;
  if (changing.length) {
    const result = await applyInstallPlan(plan.packages, {
      source: plan.source,
      scheme,
      fs,
      reporter: plan.reporter,
      ...(await pipInstallSettings(context)),
      buildSdist: plan.builds.buildSdist,
      ...(plan.requiredHashes ? { requiredHashes: plan.requiredHashes } : {}),
    });
    await compileInstalledIfWanted(context, plan.environment, result.installed.map((w) => w.distInfo), plan.reporter);
    say(`Successfully installed ${result.installed.map((w) => `${w.name}-${w.version}`).join(" ")}`);
  }
  for (const dist of plan.extraneous) {
    for (const removed of await uninstallDistribution(dist.name, { scheme, fs, reporter: plan.reporter })) say(`Successfully uninstalled ${removed.name}-${removed.version}`);
  }
  if (!changing.length && !plan.extraneous.length) say("Everything is in sync");
  return 0;
}

/** Builds of sdists (locked, or pinned without a wheel for the platform); build requirements come from the index. */
function builds(context: CommandContext, index: PackageSource, reporter: Reporter): SdistBuilds {
  const verbose = quietness(context) < 0;
  return sdistBuilds(buildTools(context, { source: index, verbose, ...(verbose ? { reporter } : {}) }), { source: index, reporter });
}
