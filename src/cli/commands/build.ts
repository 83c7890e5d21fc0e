import { readFile } from "../../platform/node-fs-promises.js";
import { basename, resolve } from "node:path";
import { buildDistribution, extractSdist, type BuiltDistribution, type ConfigSettings } from "../../build/index.js";
import { KilnError } from "../../core/index.js";
import { checkOutputDirectory } from "../output-file.js";
import { buildTools } from "../build-tools.js";
import { defineCommand, jsonOption, type CommandContext } from "../command.js";
import { indexFlags, indexOptions, packageSourceFor, resolveOptions } from "../resolve-settings.js";

const runtimeOption = resolveOptions.filter((option) => option.name === "runtime");

/** `kiln build`: PEP 517 builds of wheels and sdists, with the backend running on WASM. */
export const buildCommand = defineCommand({
  name: "build",
  summary: "Build a wheel and/or sdist of a project, with its PEP 517 backend running on WASM",
  description:
    "Like `python -m build`: reads [build-system] from pyproject.toml (setuptools' legacy backend when absent), installs the\n" +
    "build requirements into an isolated environment for the WASM runtime, and calls the backend's hooks there.\n" +
    "With neither --sdist nor --wheel, builds the sdist, then the wheel from it. An SDIST argument builds its wheel.\n" +
    "Projects with C/C++/Rust extension modules cannot be built here; use the Emscripten toolchain for those.",
  usage: "[DIR | SDIST] [--wheel] [--sdist] [--outdir DIR] [-C key=value]...",
  positionals: [{ name: "source", description: "The project directory (default .) or an sdist (.tar.gz)" }],
  options: [
    { name: "wheel", short: "w", type: "boolean", description: "Build a wheel" },
    { name: "sdist", short: "s", type: "boolean", description: "Build an sdist" },
    { name: "outdir", short: "o", type: "string", valueName: "DIR", description: "Where to write the files (default DIR/dist)" },
    { name: "config-setting", short: "C", type: "string", multiple: true, valueName: "KEY=VALUE", description: "A config_settings entry for the backend" },
    { name: "verbose", short: "v", type: "boolean", multiple: true, description: "Show the backend's output as it runs" },
    ...runtimeOption,
    ...indexOptions,
    jsonOption,
  ],
  run: async (context) => {
    const options = context.arguments.options;
    const source = resolve(context.cwd, String(context.arguments.positionals.source ?? "."));
    const isSdist = /\.(tar\.gz|tgz|zip)$/i.test(source);
    if (isSdist && options.sdist === true) throw new KilnError("usage", "Cannot build an sdist from an sdist", { hint: `kiln build ${basename(source)} builds its wheel` });
    const outdir = typeof options.outdir === "string" ? resolve(context.cwd, options.outdir) : isSdist ? resolve(context.cwd, "dist") : `${source}/dist`;
    checkOutputDirectory(outdir, "the output directory");
    const build = await buildContext(context);
    const built: BuiltDistribution[] = [];
    try {
      if (isSdist) built.push(await build.wheelFromSdist(source, outdir));
      else if (options.sdist === true || options.wheel === true) {
        if (options.sdist === true) built.push(await build.run({ kind: "sdist", projectDir: source, outputDir: outdir }));
        if (options.wheel === true) built.push(await build.run({ kind: "wheel", projectDir: source, outputDir: outdir }));
      } else {
        const sdist = await build.run({ kind: "sdist", projectDir: source, outputDir: outdir });
        built.push(sdist, await build.wheelFromSdist(sdist.path, outdir));
      }
    } catch (error) {
      build.flushOutput();
      throw error;
    }
    if (options.json) context.output.json({ built: built.map((item) => item.path) });
    else for (const item of built) context.output.line(`Built ${item.filename}`);
    return 0;
  },
});

interface BuildContext {
  run(options: { kind: "wheel" | "sdist" | "editable"; projectDir: string; outputDir: string; label?: string }): Promise<BuiltDistribution>;
  wheelFromSdist(sdist: string, outputDir: string): Promise<BuiltDistribution>;
  /** Prints the backend output held back in quiet mode (after a failure). */
  flushOutput(): void;
}

async function buildContext(context: CommandContext): Promise<BuildContext> {
  const options = context.arguments.options;
  const source = (await packageSourceFor(context, indexFlags(options))).source;
  const tools = buildTools(context, { source, verbose: Number(options.verbose ?? 0) > 0 });
  const { environment, runner, scratch } = tools;
  const fs = environment.fs;
  const configSettings = parseConfigSettings(options["config-setting"]);
  const run: BuildContext["run"] = async (request) => {
    context.output.note(`Building ${request.kind} of ${request.label ?? request.projectDir}`);
    return buildDistribution({ ...request, environment, runner, workDir: scratch(), ...(configSettings ? { configSettings } : {}) });
  };
  return {
    run,
    async wheelFromSdist(sdist, outputDir) {
      const workDir = scratch();
      try {
        const bytes = new Uint8Array(await readFile(sdist));
        const projectDir = await extractSdist(bytes, { filename: basename(sdist), destination: `${workDir}/sdist`, fs });
        return await run({ kind: "wheel", projectDir, outputDir, label: basename(sdist) });
      } finally {
        await fs.remove(workDir, { recursive: true });
      }
    },
    flushOutput: () => tools.flushOutput(),
  };
}

/** `-C key=value` options as config_settings: a repeated key collects its values into a list, as build does. */
export function parseConfigSettings(value: unknown): ConfigSettings | undefined {
  const items = value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)];
  if (items.length === 0) return undefined;
  const settings: ConfigSettings = {};
  for (const item of items) {
    const equals = item.indexOf("=");
    const key = equals === -1 ? item : item.slice(0, equals);
    const setting = equals === -1 ? "" : item.slice(equals + 1);
    const existing = settings[key];
    settings[key] = existing === undefined ? setting : Array.isArray(existing) ? [...existing, setting] : [existing, setting];
  }
  return settings;
}

