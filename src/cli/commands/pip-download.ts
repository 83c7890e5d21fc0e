import { ensureOutputDirectory, writeOutputFile } from "../output-file.js";
import { join, resolve, sep } from "node:path";
import { digestHex } from "../../cache/index.js";
import { KilnError } from "../../core/index.js";
import { planInstall } from "../../installer/index.js";
import { nodeLocalFiles } from "../../platform/node.js";
import { targetForAbi, type TargetEnvironment } from "../../resolver/index.js";
import type { RuntimeSpec } from "../../runtime/runtime-host.js";
import { defineCommand, type CommandContext } from "../command.js";
import { resolveTarget } from "../resolve-target.js";
import { indexOptions } from "../index-options.js";
import { openPipEnvironment, pipCommonOptions, quietness } from "./pip-environment.js";
import { openPipPackageSource } from "./pip-install.js";
import { pipReporter } from "./pip-reporter.js";
import { readPipRequirements, refuseLocalBuilds } from "./pip-requirements.js";

/** `kiln pip download`: the wheels an install would use, saved to a directory. */
export const pipDownloadCommand = defineCommand({
  name: "download",
  summary: "Download the wheels of requirements and their dependencies for the WASM platform",
  description:
    "Resolves like pip install, for the environment's runtime when there is one (--python, VIRTUAL_ENV, .venv-wasm),\n" +
    "else for --runtime (default: the embedded runtime's ABI), and saves the chosen wheels, hash-checked, to --dest.",
  usage: "[options] REQUIREMENT... | -r FILE [-d DIR]",
  positionals: [{ name: "requirements", description: "PEP 508 requirements, paths or URLs of wheels", variadic: true }],
  options: [
    { name: "dest", short: "d", type: "string", valueName: "DIR", description: "Where to save the wheels (default: the working directory)" },
    { name: "requirement", short: "r", type: "string", multiple: true, valueName: "FILE", description: "Download what a requirements file names" },
    { name: "constraint", short: "c", type: "string", multiple: true, valueName: "FILE", description: "Constrain versions with a constraints file" },
    { name: "no-deps", type: "boolean", description: "Download the named packages only" },
    { name: "pre", type: "boolean", description: "Allow pre-release versions" },
    { name: "require-hashes", type: "boolean", description: "Require a sha256 --hash for every package" },
    {
      name: "runtime",
      type: "string",
      valueName: "RUNTIME",
      description: "Target instead of the environment's: pyodide@VERSION (that runtime and its Pyodide repository), or an ABI: 2026_0, 2025_0, 2024_0",
    },
    ...indexOptions,
    ...pipCommonOptions,
  ],
  run: async (context) => {
    const level = quietness(context);
    const reporter = pipReporter(context.output, { quietness: level, env: context.env });
    const wanted = await readPipRequirements(context, (context.arguments.positionals.requirements as string[] | undefined) ?? []);
    refuseLocalBuilds(wanted, "kiln pip download");
    if (wanted.requirements.length === 0) throw new KilnError("usage", "Nothing to download: give requirements or -r FILE");
    const environment = await downloadEnvironment(context);
    const target = environment.target;
    const { source, session } = await openPipPackageSource(context, wanted.contents, reporter, environment);
    const plan = await planInstall(
      { requirements: wanted.requirements, constraints: wanted.constraints, noDeps: context.arguments.options["no-deps"] === true, pre: wanted.pre },
      { source, target, installed: [], direct: { session, localFiles: nodeLocalFiles }, reporter },
    );
    if (plan.kind === "unsatisfiable") {
      throw new KilnError("noSolution", `Cannot download for ${target.platformTags[0]} (Python ${target.pythonVersion}):\n${plan.explanation}`, plan.hints.length ? { hint: plan.hints.join("\n      ") } : {});
    }
    const dest = resolve(context.cwd, typeof context.arguments.options.dest === "string" ? context.arguments.options.dest : ".");
    await ensureOutputDirectory(dest, "the download directory");
    const task = reporter.startTask("Downloading");
    const saved: string[] = [];
    for (const planned of plan.packages) {
      const file = planned.wheel!;
      const allowed = wanted.requiredHashes?.get(planned.name);
      if (wanted.requiredHashes && !allowed) throw new KilnError("hashRequired", `Cannot download ${planned.displayName} ${planned.version} in --require-hashes mode: no --hash is given for it`);
      let reported = 0;
      const bytes = await plan.source.fetchFile(file, {
        onProgress: (received) => {
          task.advance(received - reported);
          reported = received;
        },
      });
      const actual = `sha256:${await digestHex("sha256", bytes)}`;
      if (allowed && !allowed.includes(actual)) {
        throw new KilnError("hashMismatch", `Cannot save ${file.filename}: its hash ${actual} is not one the requirements allow (${allowed.join(", ")})`);
      }
      await writeOutputFile(join(dest, file.filename), bytes, "the downloaded wheel");
      saved.push(planned.displayName);
      if (level <= 0) context.output.line(`Saved ${displayPath(join(dest, file.filename), context.cwd)}`);
    }
    task.finish();
    if (level <= 0 && saved.length) context.output.line(`Successfully downloaded ${saved.join(" ")}`);
    return 0;
  },
});

/** A path as pip's messages show it: `./…` below the working directory, else absolute. */
function displayPath(path: string, cwd: string): string {
  const prefix = cwd.endsWith(sep) ? cwd : cwd + sep;
  return path.startsWith(prefix) ? `.${sep}${path.slice(prefix.length)}` : path;
}

/** What the download is for: `--runtime` (a runtime or an ABI), else the environment found, else the embedded runtime's ABI. */
async function downloadEnvironment(context: CommandContext): Promise<{ target: TargetEnvironment; venv?: { runtime: RuntimeSpec } }> {
  const runtime = context.arguments.options.runtime;
  if (typeof runtime === "string") {
    const { target, runtime: repository } = await resolveTarget(context, runtime);
    return repository ? { target, venv: { runtime: repository.spec } } : { target };
  }
  return openPipEnvironment(context).catch(() => ({ target: targetForAbi() }));
}
