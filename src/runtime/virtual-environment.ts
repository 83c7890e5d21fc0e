import { KilnError } from "../core/index.js";
import { activateScripts } from "./venv-activate.js";
import type { RuntimeDescription } from "./describe-runtime.js";
import type { ProcessVenv } from "./run-python-main.js";
import type { RuntimeSpec } from "./runtime-host.js";
import { formatVenvConfig, parseVenvConfig } from "./venv-config.js";
import type { VenvFileSystem } from "./venv-file-system.js";

/** A kiln virtual environment, as read from its `pyvenv.cfg`. */
export interface VirtualEnvironment {
  /** The absolute directory, `sys.prefix` inside. */
  prefix: string;
  binDir: string;
  /** `lib/pythonX.Y/site-packages` under the prefix. */
  sitePackages: string;
  /** `X.Y`. */
  pythonVersion: string;
  runtime: RuntimeSpec;
  /** The ABI and platform tags recorded when the environment was made. */
  abiVersion: string | undefined;
  platformTags: string[];
  extSuffix: string;
  includeSystemSitePackages: boolean;
  /** Every `pyvenv.cfg` entry. */
  config: Record<string, string>;
}

/** Options for {@link createVirtualEnvironment}. */
export interface CreateVenvOptions {
  /** Absolute path of the environment. */
  directory: string;
  fs: VenvFileSystem;
  /** The runtime the environment runs on, as `describeRuntime` read it. */
  description: RuntimeDescription;
  runtime: RuntimeSpec;
  /**
   * Absolute paths the `bin/python` launcher execs: node, and kiln's launcher script; `preamble`:
   * shell lines it runs first (the host's, such as deferring a variable Node is slow to read).
   */
  launcher: { node: string; script: string; preamble?: string[] };
  /** Empty the directory first (`--clear`). */
  clear?: boolean;
  /** The prompt prefix shown by `activate`; the directory's name when absent. */
  prompt?: string;
  /** How the environment was made, recorded as `command` in pyvenv.cfg. */
  command?: string;
  kilnVersion: string;
}

/**
 * Creates a virtual environment like CPython's `venv` (PEP 405), whose `bin/python` runs the given
 * WASM runtime: `pyvenv.cfg` recording the runtime and its platform tags, launchers `python`,
 * `python3` and `python3.X` that work from any shell without kiln on PATH, `activate` scripts for
 * bash/zsh and fish, and an empty `lib/python3.X/site-packages`.
 *
 * @example
 * const venv = await createVirtualEnvironment({ directory: "/work/.venv-wasm", fs, description, runtime: { kind: "bundled" },
 *   launcher: { node: process.execPath, script: "/opt/kiln/dist/platform/node-venv-launcher.js" }, kilnVersion: "0.1.0" });
 */
export async function createVirtualEnvironment(options: CreateVenvOptions): Promise<VirtualEnvironment> {
  const { directory } = options;
  if (!directory.startsWith("/")) throw new RangeError(`The environment directory must be absolute, not "${directory}"`);
  try {
    return await populate(options);
  } catch (error) {
    if (error instanceof KilnError) throw error;
    throw new KilnError("outputUnwritable", `Cannot create a virtual environment at "${directory}": ${(error as Error)?.message ?? String(error)}`, {
      hint: "Choose a path kiln can write, whose parents are directories",
      cause: error,
    });
  }
}

/** A `.gitignore` a venv tool wrote (kiln's, or CPython's since 3.13): one kiln may replace. */
const venvGitignore = /^# Created by (kiln )?venv/;

async function populate(options: CreateVenvOptions): Promise<VirtualEnvironment> {
  const { directory, fs } = options;
  const existing = await fs.list(directory);
  if (existing === "file") {
    throw new KilnError("venvExists", `Cannot create a virtual environment at "${directory}": it is a file`, {
      hint: "Choose another path, or remove the file",
    });
  }
  if (existing && existing.length > 0 && options.clear) {
    // --clear deletes everything in the directory: only in one that is an environment already
    // (python -m venv --clear empties any directory, the file system's root too).
    if (!existing.includes("pyvenv.cfg")) {
      throw new KilnError("venvExists", `Cannot clear "${directory}": it is not a virtual environment (it has no pyvenv.cfg), and --clear would delete all ${existing.length} entries in it`, {
        hint: "Give a new or empty directory, or the directory of an existing virtual environment",
      });
    }
    for (const name of existing) await fs.remove(`${directory}/${name}`);
  }
  const { description } = options;
  const version = majorMinor(description.pythonVersion);
  const binDir = `${directory}/bin`;
  const sitePackages = `${directory}/lib/python${version}/site-packages`;
  await fs.mkdir(binDir);
  await fs.mkdir(sitePackages);
  await fs.writeText(`${directory}/pyvenv.cfg`, formatVenvConfig(configEntries(options)));
  // In a directory that holds other things (a project), its own .gitignore stays.
  const gitignore = await fs.readText(`${directory}/.gitignore`);
  if (gitignore === undefined || venvGitignore.test(gitignore)) await fs.writeText(`${directory}/.gitignore`, "# Created by kiln venv\n*\n");
  await fs.writeText(`${binDir}/python`, pythonLauncher(options), { mode: 0o755 });
  for (const alias of ["python3", `python${version}`]) await fs.symlink("python", `${binDir}/${alias}`);
  const prompt = options.prompt ?? directory.split("/").filter(Boolean).pop() ?? "venv";
  for (const [name, text] of Object.entries(activateScripts({ directory, prompt }))) await fs.writeText(`${binDir}/${name}`, text);
  return openVirtualEnvironment(directory, fs);
}

/**
 * Reads a kiln virtual environment's `pyvenv.cfg`. Throws `venvInvalid` when the directory is not
 * one (no `pyvenv.cfg`, or one kiln did not write).
 *
 * @example
 * const venv = await openVirtualEnvironment("/work/.venv-wasm", fs);
 * venv.sitePackages; // "/work/.venv-wasm/lib/python3.14/site-packages"
 */
export async function openVirtualEnvironment(directory: string, fs: VenvFileSystem): Promise<VirtualEnvironment> {
  const prefix = directory.replace(/\/+$/, "") || "/";
  const text = await fs.readText(`${prefix}/pyvenv.cfg`);
  if (text === undefined) {
    throw new KilnError("venvInvalid", `"${prefix}" is not a virtual environment: it has no pyvenv.cfg`, {
      hint: `Create one with "kiln venv ${prefix}"`,
    });
  }
  const config = parseVenvConfig(text);
  const runtime = config["kiln-runtime"];
  const version = config.version;
  if (runtime === undefined || version === undefined) {
    throw new KilnError("venvInvalid", `"${prefix}/pyvenv.cfg" was not written by kiln (no kiln-runtime or version)`, {
      hint: `Recreate it with "kiln venv --clear ${prefix}"`,
    });
  }
  return {
    prefix,
    binDir: `${prefix}/bin`,
    sitePackages: `${prefix}/lib/python${majorMinor(version)}/site-packages`,
    pythonVersion: majorMinor(version),
    runtime: parseRuntimeSetting(runtime),
    abiVersion: config["kiln-abi-version"] || undefined,
    platformTags: (config["kiln-platform-tags"] ?? "").split(/\s+/).filter(Boolean),
    extSuffix: config["kiln-ext-suffix"] ?? "",
    includeSystemSitePackages: config["include-system-site-packages"]?.toLowerCase() === "true",
    config,
  };
}

/**
 * Writes `bin/NAME`, a launcher that runs `bin/python -m MODULE` with its arguments: how a venv gets
 * `bin/pip` once `pip` is a host-handled module.
 *
 * @example
 * await writeModuleLauncher(venv, fs, { name: "pip", module: "pip" });
 */
export async function writeModuleLauncher(
  venv: VirtualEnvironment,
  fs: VenvFileSystem,
  options: { name: string; module: string },
): Promise<string> {
  if (!/^[A-Za-z0-9_.-]+$/.test(options.name) || !/^[A-Za-z_][\w.]*$/.test(options.module)) {
    throw new RangeError(`Cannot write launcher "${options.name}" for module "${options.module}"`);
  }
  const path = `${venv.binDir}/${options.name}`;
  const text = `#!/bin/sh\n# Generated by kiln: python -m ${options.module}\nexec ${shellQuote(`${venv.binDir}/python`)} -m ${options.module} "$@"\n`;
  await fs.writeText(path, text, { mode: 0o755 });
  return path;
}

/** What a process running in `venv` needs to know about it. */
export function processVenv(venv: VirtualEnvironment): ProcessVenv {
  return { prefix: venv.prefix, sitePackages: venv.sitePackages, includeSystemSitePackages: venv.includeSystemSitePackages };
}

/**
 * Parses a runtime setting: `bundled` (or empty), `pyodide@VERSION` or a bare version.
 *
 * @example
 * parseRuntimeSetting("pyodide@0.29.3"); // { kind: "npm", version: "0.29.3" }
 */
export function parseRuntimeSetting(text: string): RuntimeSpec {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed === "bundled") return { kind: "bundled" };
  const version = trimmed.startsWith("pyodide@") ? trimmed.slice("pyodide@".length) : trimmed;
  if (!/^\d+\.\d+(\.\d+)?([-.][0-9A-Za-z.]+)?$/.test(version)) {
    throw new KilnError("runtimeNotFound", `Cannot understand runtime "${text}"`, {
      hint: 'Give "pyodide@VERSION" (for example pyodide@0.29.3), or "bundled"',
    });
  }
  return { kind: "npm", version };
}

/** The inverse of {@link parseRuntimeSetting}. */
export function formatRuntimeSetting(spec: RuntimeSpec): string {
  return spec.kind === "bundled" ? "bundled" : `pyodide@${spec.version}`;
}

function configEntries(options: CreateVenvOptions): Array<[string, string]> {
  const description = options.description;
  return [
    ["home", options.launcher.node.replace(/\/[^/]*$/, "")],
    ["implementation", "CPython"],
    ["version", description.pythonVersion],
    ["include-system-site-packages", "false"],
    ["command", options.command ?? `kiln venv ${options.directory}`],
    ["kiln", options.kilnVersion],
    ["kiln-runtime", formatRuntimeSetting(options.runtime)],
    ["kiln-pyodide-version", description.pyodideVersion],
    ["kiln-abi-version", description.abiVersion ?? ""],
    ["kiln-platform-tag", description.platformTags[0] ?? ""],
    ["kiln-platform-tags", description.platformTags.join(" ")],
    ["kiln-ext-suffix", description.extSuffix],
    ["kiln-cache-tag", description.cacheTag],
  ];
}

function pythonLauncher(options: CreateVenvOptions): string {
  const words = [options.launcher.node, options.launcher.script, options.directory].map(shellQuote).join(" ");
  return [
    "#!/bin/sh",
    `# Generated by kiln ${options.kilnVersion}: CPython ${options.description.pythonVersion} on WebAssembly (Pyodide ${options.description.pyodideVersion}).`,
    ...(options.launcher.preamble ?? []),
    `exec ${words} "$0" "$@"`,
    "",
  ].join("\n");
}

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

function majorMinor(version: string): string {
  const match = /^(\d+)\.(\d+)/.exec(version);
  if (!match) throw new KilnError("venvInvalid", `Cannot read Python version "${version}"`);
  return `${match[1]}.${match[2]}`;
}
