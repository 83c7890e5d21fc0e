import { readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { resolveIndexSettings, type ConfigFile, type IndexFlags, type IndexSettings } from "../index/index.js";

/** Options for {@link loadIndexSettings}. */
export interface LoadIndexSettingsOptions {
  env: Record<string, string | undefined>;
  cwd: string;
  flags?: IndexFlags;
  /** The project directory; by default the nearest directory upwards with a `pyproject.toml`. */
  projectDir?: string;
  platform?: NodeJS.Platform;
  home?: string;
}

/**
 * Reads the configuration files a user already has (pip's, the project's `pyproject.toml`) and
 * merges them with flags and environment by {@link resolveIndexSettings}'s precedence.
 *
 * @example
 * const settings = await loadIndexSettings({ env: process.env, cwd: process.cwd(), flags });
 */
export async function loadIndexSettings(options: LoadIndexSettingsOptions): Promise<IndexSettings> {
  const pipConfigs = await readConfigFiles(pipConfigPaths(options), options.cwd);
  const pyprojectPath = options.projectDir ? join(options.projectDir, "pyproject.toml") : await findUpwards(options.cwd, "pyproject.toml");
  const [pyproject] = pyprojectPath ? await readConfigFiles([pyprojectPath], dirname(pyprojectPath)) : [];
  return resolveIndexSettings({ flags: options.flags, env: options.env, cwdUrl: directoryUrl(options.cwd), pipConfigs, pyproject });
}

/**
 * pip's configuration files, lowest precedence first, as pip looks for them: global (XDG config
 * dirs and `/etc/pip.conf`), user (`~/.pip/pip.conf`, then `$XDG_CONFIG_HOME/pip/pip.conf`),
 * site (`$VIRTUAL_ENV/pip.conf`), then `PIP_CONFIG_FILE`. `PIP_CONFIG_FILE=/dev/null` (or
 * `nul` on Windows) turns off all the others, as in pip.
 *
 * @example
 * pipConfigPaths({ env: {}, cwd: "/", platform: "linux", home: "/home/me" });
 * // ["/etc/xdg/pip/pip.conf", "/etc/pip.conf", "/home/me/.pip/pip.conf", "/home/me/.config/pip/pip.conf"]
 */
export function pipConfigPaths(options: Pick<LoadIndexSettingsOptions, "env" | "cwd" | "platform" | "home">): string[] {
  const env = options.env;
  const platform = options.platform ?? process.platform;
  const home = options.home ?? homedir();
  const explicit = env.PIP_CONFIG_FILE ? resolve(options.cwd, env.PIP_CONFIG_FILE) : undefined;
  if (env.PIP_CONFIG_FILE === "/dev/null" || env.PIP_CONFIG_FILE?.toLowerCase() === "nul") return [];
  const name = platform === "win32" ? "pip.ini" : "pip.conf";
  const paths: string[] = [];
  if (platform === "win32") {
    paths.push(join(env.PROGRAMDATA ?? "C:\\ProgramData", "pip", name));
    paths.push(join(home, "pip", name), join(env.APPDATA ?? join(home, "AppData", "Roaming"), "pip", name));
  } else if (platform === "darwin") {
    paths.push("/Library/Application Support/pip/pip.conf");
    paths.push(join(home, ".pip", name), join(home, "Library", "Application Support", "pip", name), join(home, ".config", "pip", name));
  } else {
    for (const dir of (env.XDG_CONFIG_DIRS || "/etc/xdg").split(":").filter(Boolean).reverse()) paths.push(join(dir, "pip", name));
    paths.push("/etc/pip.conf");
    paths.push(join(home, ".pip", name), join(env.XDG_CONFIG_HOME || join(home, ".config"), "pip", name));
  }
  if (env.VIRTUAL_ENV) paths.push(join(env.VIRTUAL_ENV, name));
  if (explicit) paths.push(explicit);
  return paths;
}

async function readConfigFiles(paths: string[], baseDirectory: string): Promise<ConfigFile[]> {
  const files: ConfigFile[] = [];
  for (const path of paths) {
    const text = readText(path);
    // pip resolves relative find-links in its config files against the working directory.
    if (text !== undefined) files.push({ path, text, baseUrl: directoryUrl(path.endsWith("pyproject.toml") ? dirname(path) : baseDirectory) });
  }
  return files;
}

/**
 * Configuration files are looked up and read synchronously: they are small or missing, and each
 * thread-pool round trip (a pool thread and then the main thread woken) costs more than the call,
 * milliseconds each on a busy machine, before every command that reads index settings.
 */
function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

async function findUpwards(start: string, name: string): Promise<string | undefined> {
  for (let directory = resolve(start); ; directory = dirname(directory)) {
    const candidate = join(directory, name);
    if (statSync(candidate, { throwIfNoEntry: false })?.isFile()) return candidate;
    if (dirname(directory) === directory) return undefined;
  }
}

function directoryUrl(path: string): string {
  const url = pathToFileURL(path).href;
  return url.endsWith("/") ? url : `${url}/`;
}
