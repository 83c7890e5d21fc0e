import { statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { isKilnError, KilnError } from "../../core/index.js";
import { linkModes, parseLinkMode, targetForVenv, venvScheme, type InstallFileSystem, type InstallScheme, type FileDigests, type LinkMode, type UnpackedWheelCache } from "../../installer/index.js";
import type { ZipCodecs } from "../../archive/index.js";
import { commandCacheDir } from "../command-cache-dir.js";
import { nodeFileDigests } from "../../platform/node-file-digests.js";
import { nodeUnpackedWheelCache } from "../../platform/node-wheel-cache.js";
import { nodeZipCodecs } from "../../platform/node-zip-codecs.js";
import { nodeFileSystem } from "../../platform/node-file-system.js";
import { nodeVenvFileSystem } from "../../platform/node-venv-file-system.js";
import type { TargetEnvironment } from "../../resolver/index.js";
// Not through runtime/index.ts: the bundler would then put the pip command in the chunk set that
// reaches every runtime module (Pyodide start-up, snapshots), which `kiln pip install` never runs.
import { openVirtualEnvironment, type VirtualEnvironment } from "../../runtime/virtual-environment.js";
import type { CommandContext, OptionDefinition } from "../command.js";

/** The options every `kiln pip` subcommand takes: which environment, and how chatty. */
export const pipCommonOptions: OptionDefinition[] = [
  { name: "python", type: "string", valueName: "DIR", description: "The environment: a kiln venv directory or its bin/python (default: VIRTUAL_ENV, else ./.venv-wasm)" },
  { name: "quiet", short: "q", type: "boolean", multiple: true, description: "Less output (repeat for even less)" },
  { name: "verbose", short: "v", type: "boolean", multiple: true, description: "More output" },
  { name: "no-cache-dir", type: "boolean", description: "Do not read or write the cache (pip's spelling of --no-cache)" },
  // pip options scripts pass habitually; they change nothing here.
  ...["disable-pip-version-check", "no-input", "isolated", "no-python-version-warning", "require-virtualenv", "no-color"].map(
    (name): OptionDefinition => ({ name, type: "boolean", description: "Accepted for pip compatibility; no effect" }),
  ),
  { name: "root-user-action", type: "string", valueName: "ACTION", description: "Accepted for pip compatibility; no effect" },
];

/** The environment a `kiln pip` command works on. */
export interface PipEnvironment {
  venv: VirtualEnvironment;
  scheme: InstallScheme;
  fs: InstallFileSystem;
  /** What resolution targets: the runtime the venv records. */
  target: TargetEnvironment;
}

/**
 * Finds and opens the environment: `--python DIR` (a venv directory, or a `python` inside its
 * `bin`), else `VIRTUAL_ENV`, else `.venv-wasm` in the working directory.
 *
 * @example
 * const { scheme, target } = await openPipEnvironment(context);
 */
export async function openPipEnvironment(context: CommandContext): Promise<PipEnvironment> {
  const { directory, origin } = environmentDirectory(context);
  let venv: VirtualEnvironment;
  try {
    venv = await openVirtualEnvironment(directory, nodeVenvFileSystem());
  } catch (error) {
    if (!isKilnError(error, "venvInvalid")) throw error;
    if (origin === ".venv-wasm" && !exists(directory)) {
      throw new KilnError("noEnvironment", `No environment to work on: no --python, no VIRTUAL_ENV, and no .venv-wasm in ${context.cwd}`, {
        hint: "Create one with \"kiln venv .venv-wasm\", or name one with --python DIR",
      });
    }
    throw new KilnError("venvInvalid", `Cannot use ${directory} (from ${origin}): ${error.message}`, {
      hint: origin === "VIRTUAL_ENV" ? "VIRTUAL_ENV names a native environment; pass --python DIR for a kiln venv, or deactivate it" : error.hint ?? "Create it with kiln venv",
    });
  }
  return { venv, scheme: venvScheme(venv.prefix, venv.pythonVersion), fs: nodeFileSystem(), target: targetForVenv(venv) };
}

function environmentDirectory(context: CommandContext): { directory: string; origin: string } {
  const given = context.arguments.options.python;
  if (typeof given === "string") {
    const path = resolve(context.cwd, given);
    const isFile = statSync(path, { throwIfNoEntry: false })?.isFile() === true;
    // `--python .venv/bin/python`, as pip and uv accept, names the venv two levels up.
    return { directory: isFile ? dirname(dirname(path)) : path, origin: "--python" };
  }
  const active = context.env.VIRTUAL_ENV;
  if (active) return { directory: resolve(context.cwd, active), origin: "VIRTUAL_ENV" };
  return { directory: resolve(context.cwd, ".venv-wasm"), origin: ".venv-wasm" };
}

function exists(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false }) !== undefined;
}

/** `-q` count minus `-v` count: negative is verbose, 0 normal, positive quieter. */
export function quietness(context: CommandContext): number {
  const count = (value: unknown) => (typeof value === "number" ? value : value === true ? 1 : 0);
  return count(context.arguments.options.quiet) - count(context.arguments.options.verbose);
}

/** The options of the pip commands that install files: how they come from the wheel cache. */
export const pipLinkOptions: OptionDefinition[] = [
  {
    name: "link-mode",
    type: "string",
    valueName: "MODE",
    description: `How files come from kiln's cache of unpacked wheels: ${linkModes.join(" or ")} (default: KILN_LINK_MODE, else hardlink; installed files then share inodes with the cache)`,
  },
];

/** How a pip command installs: the unpacked-wheel cache and remembered local digests (unless --no-cache), link mode, zip codecs. */
export interface PipInstallSettings {
  wheelCache?: UnpackedWheelCache;
  fileDigests?: FileDigests;
  linkMode: LinkMode;
  codecs: ZipCodecs;
}

/**
 * The install settings of a pip command: `--link-mode`, else `KILN_LINK_MODE`, else hard links;
 * the unpacked-wheel cache in kiln's cache directory (`--cache-dir`, `KILN_CACHE_DIR`, …) unless
 * `--no-cache`/`--no-cache-dir` is given.
 *
 * @example
 * await applyInstallPlan(plan.packages, { source, scheme, fs, ...(await pipInstallSettings(context)) });
 */
export async function pipInstallSettings(context: CommandContext): Promise<PipInstallSettings> {
  const options = context.arguments.options;
  const flag = options["link-mode"];
  const linkMode =
    typeof flag === "string" ? parseLinkMode(flag, "--link-mode") : context.env.KILN_LINK_MODE ? parseLinkMode(context.env.KILN_LINK_MODE, "KILN_LINK_MODE") : "hardlink";
  const settings: PipInstallSettings = { linkMode, codecs: nodeZipCodecs };
  if (options["no-cache"] === true || options["no-cache-dir"] === true) return settings;
  const cacheDir = commandCacheDir(context);
  settings.wheelCache = await nodeUnpackedWheelCache(cacheDir);
  settings.fileDigests = nodeFileDigests(cacheDir);
  return settings;
}
