import { parse as parseToml } from "smol-toml";
import { KilnError } from "../core/index.js";
import type { IndexStrategy } from "./combine-sources.js";
import { parsePipConfig } from "./parse-pip-config.js";
import { redactUrl } from "./redact-url.js";

/** The public index, used when nothing else is configured. */
export const defaultIndexUrl = "https://pypi.org/simple/";

/** Where kiln gets packages from and how it talks to those places. */
export interface IndexSettings {
  indexUrl: string;
  extraIndexUrls: string[];
  /** Absolute URLs: `file:` for local directories and files, or http(s) pages. */
  findLinks: string[];
  /** Ignore `indexUrl` and `extraIndexUrls` (pip's `--no-index`). */
  noIndex: boolean;
  /** The Pyodide repository's base URL; undefined means the runtime's default. */
  pyodideBaseUrl?: string;
  /** Leave the Pyodide repository out. */
  noPyodideIndex: boolean;
  indexStrategy: IndexStrategy;
  /** A CA bundle (PEM file path) for HTTPS. */
  cert?: string;
  /** An explicit proxy URL (pip's `proxy`); otherwise `HTTPS_PROXY`/`HTTP_PROXY` apply. */
  proxy?: string;
  /** Idle timeout per request, in milliseconds; `defaultIdleTimeoutMs` when undefined. */
  timeoutMs?: number;
  retries?: number;
  offline: boolean;
  /** Which input set each field: `--index-url`, `PIP_INDEX_URL`, `/etc/pip.conf [install]`… */
  origins: Partial<Record<SettingName, string>>;
}

type SettingName = Exclude<keyof IndexSettings, "origins">;

/** Settings given on the command line (`--index-url` and friends); `timeout` in seconds. */
export type IndexFlags = Partial<{
  indexUrl: string;
  extraIndexUrls: string[];
  findLinks: string[];
  noIndex: boolean;
  pyodideBaseUrl: string;
  noPyodideIndex: boolean;
  indexStrategy: string;
  cert: string;
  proxy: string;
  timeout: string;
  retries: string;
  offline: boolean;
}>;

/** A configuration file's text and where relative paths in it are taken from. */
export interface ConfigFile {
  path: string;
  text: string;
  /** A `file:` URL ending in `/`: relative `find-links` resolve against it. */
  baseUrl: string;
}

/** Everything {@link resolveIndexSettings} merges. */
export interface IndexSettingsInputs {
  flags?: IndexFlags;
  /** Relative `find-links` on the command line or in the environment resolve against it. */
  cwdUrl: string;
  env: Record<string, string | undefined>;
  /** pip configuration files, lowest precedence first (global, user, site, `PIP_CONFIG_FILE`). */
  pipConfigs?: ConfigFile[];
  /** The project's `pyproject.toml`, for `[tool.kiln]`. */
  pyproject?: ConfigFile;
}

type Layer = { origin: string; values: Partial<Record<SettingName, unknown>> };

/**
 * Merges index configuration from every place users already keep it, highest precedence first:
 * 1. command-line flags;
 * 2. pip's environment variables (`PIP_INDEX_URL`, `PIP_EXTRA_INDEX_URL`, `PIP_FIND_LINKS`,
 *    `PIP_NO_INDEX`, `PIP_CERT`, `PIP_PROXY`, `PIP_TIMEOUT`, `PIP_RETRIES`), then uv's
 *    (`UV_DEFAULT_INDEX`/`UV_INDEX_URL`, `UV_INDEX`/`UV_EXTRA_INDEX_URL`, `UV_FIND_LINKS`,
 *    `UV_NO_INDEX`, `UV_INDEX_STRATEGY`, `UV_HTTP_TIMEOUT`, `UV_OFFLINE`), then kiln's own
 *    (`KILN_PYODIDE_BASE_URL`, `KILN_OFFLINE`);
 * 3. `[tool.kiln]` in the project's `pyproject.toml`;
 * 4. pip configuration files: as in pip, `[install]` in any file over `[global]` in any, and
 *    within a section the later file (global, user, site, `PIP_CONFIG_FILE`) winning;
 * 5. defaults (`https://pypi.org/simple/`, first-index strategy).
 * Each setting is taken whole from the highest layer that sets it (lists are not merged), as
 * pip does. `SSL_CERT_FILE` is the CA bundle's last fallback.
 *
 * @example
 * const settings = resolveIndexSettings({ env: process.env, cwdUrl: "file:///work/", flags: { indexUrl: "https://example.org/simple/" } });
 */
export function resolveIndexSettings(inputs: IndexSettingsInputs): IndexSettings {
  const layers: Layer[] = [
    { origin: "the command line", values: flagValues(inputs.flags ?? {}, inputs.cwdUrl) },
    ...envLayers(inputs.env, inputs.cwdUrl),
  ];
  if (inputs.pyproject) layers.push(pyprojectLayer(inputs.pyproject));
  // pip pools each section over all files: `[install]` in any file beats `[global]` in any.
  for (const section of ["install", "global"]) {
    for (const file of [...(inputs.pipConfigs ?? [])].reverse()) layers.push(pipConfigLayer(file, section));
  }
  if (inputs.env.SSL_CERT_FILE) layers.push({ origin: "SSL_CERT_FILE", values: { cert: inputs.env.SSL_CERT_FILE } });
  const settings: IndexSettings = {
    indexUrl: defaultIndexUrl,
    extraIndexUrls: [],
    findLinks: [],
    noIndex: false,
    noPyodideIndex: false,
    indexStrategy: "first-index",
    offline: false,
    origins: {},
  };
  const assign = settings as unknown as Record<string, unknown>;
  for (const layer of [...layers].reverse()) {
    for (const [name, value] of Object.entries(layer.values)) {
      if (value === undefined) continue;
      assign[name] = value;
      settings.origins[name as SettingName] = layer.origin;
    }
  }
  return validate(settings);
}

function flagValues(flags: IndexFlags, cwdUrl: string): Layer["values"] {
  return {
    indexUrl: flags.indexUrl,
    extraIndexUrls: flags.extraIndexUrls?.length ? flags.extraIndexUrls : undefined,
    findLinks: flags.findLinks?.length ? flags.findLinks.map((l) => toLocationUrl(l, cwdUrl)) : undefined,
    noIndex: flags.noIndex || undefined,
    pyodideBaseUrl: flags.pyodideBaseUrl,
    noPyodideIndex: flags.noPyodideIndex || undefined,
    indexStrategy: flags.indexStrategy,
    cert: flags.cert,
    proxy: flags.proxy,
    timeoutMs: seconds(flags.timeout, "--timeout"),
    retries: count(flags.retries, "--retries"),
    offline: flags.offline || undefined,
  };
}

function envLayers(env: Record<string, string | undefined>, cwdUrl: string): Layer[] {
  const value = (name: string) => (env[name] === undefined || env[name] === "" ? undefined : env[name]);
  const list = (name: string) => value(name)?.split(/\s+/).filter(Boolean);
  const pip: Layer = {
    origin: "pip's environment variables",
    values: {
      indexUrl: value("PIP_INDEX_URL"),
      extraIndexUrls: list("PIP_EXTRA_INDEX_URL"),
      findLinks: list("PIP_FIND_LINKS")?.map((l) => toLocationUrl(l, cwdUrl)),
      noIndex: truthy(value("PIP_NO_INDEX"), "PIP_NO_INDEX"),
      cert: value("PIP_CERT"),
      proxy: value("PIP_PROXY"),
      timeoutMs: seconds(value("PIP_TIMEOUT"), "PIP_TIMEOUT"),
      retries: count(value("PIP_RETRIES"), "PIP_RETRIES"),
    },
  };
  const uv: Layer = {
    origin: "uv's environment variables",
    values: {
      indexUrl: value("UV_DEFAULT_INDEX") ?? value("UV_INDEX_URL"),
      extraIndexUrls: (list("UV_INDEX") ?? list("UV_EXTRA_INDEX_URL"))?.map(stripIndexName),
      findLinks: value("UV_FIND_LINKS")?.split(/[,\s]+/).filter(Boolean).map((l) => toLocationUrl(l, cwdUrl)),
      noIndex: truthy(value("UV_NO_INDEX"), "UV_NO_INDEX"),
      indexStrategy: value("UV_INDEX_STRATEGY"),
      timeoutMs: seconds(value("UV_HTTP_TIMEOUT"), "UV_HTTP_TIMEOUT"),
      offline: truthy(value("UV_OFFLINE"), "UV_OFFLINE"),
    },
  };
  const kiln: Layer = {
    origin: "kiln's environment variables",
    values: { pyodideBaseUrl: value("KILN_PYODIDE_BASE_URL"), offline: truthy(value("KILN_OFFLINE"), "KILN_OFFLINE") },
  };
  return [pip, uv, kiln];
}

/** uv's `UV_INDEX` entries may be `name=url`. */
function stripIndexName(entry: string): string {
  const match = /^[A-Za-z0-9_.-]+=([A-Za-z][A-Za-z0-9+.-]*:\/\/.+)$/.exec(entry);
  return match ? match[1]! : entry;
}

function pyprojectLayer(file: ConfigFile): Layer {
  let document: Record<string, unknown>;
  try {
    document = parseToml(file.text) as Record<string, unknown>;
  } catch (error) {
    throw new KilnError("invalidIndexConfig", `Cannot parse ${file.path}: ${(error as Error).message.split("\n")[0]}`, {
      hint: "Fix the TOML syntax of pyproject.toml",
    });
  }
  const tool = (document.tool as Record<string, unknown> | undefined)?.kiln as Record<string, unknown> | undefined;
  const origin = `[tool.kiln] in ${file.path}`;
  if (tool === undefined) return { origin, values: {} };
  const get = <T>(key: string, check: (v: unknown) => v is T, what: string): T | undefined => {
    const v = tool[key];
    if (v === undefined) return undefined;
    if (!check(v)) throw new KilnError("invalidIndexConfig", `${origin}: ${key} must be ${what}`, { hint: "See docs/configuration.md" });
    return v;
  };
  const isString = (v: unknown): v is string => typeof v === "string";
  const isList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
  const isBoolean = (v: unknown): v is boolean => typeof v === "boolean";
  const extra = tool["extra-index-url"];
  return {
    origin,
    values: {
      indexUrl: get("index-url", isString, "a string"),
      extraIndexUrls: typeof extra === "string" ? [extra] : get("extra-index-url", isList, "a list of strings"),
      findLinks: get("find-links", isList, "a list of strings")?.map((l) => toLocationUrl(l, file.baseUrl)),
      noIndex: get("no-index", isBoolean, "true or false"),
      pyodideBaseUrl: get("pyodide-base-url", isString, "a string"),
      noPyodideIndex: get("no-pyodide-index", isBoolean, "true or false"),
      indexStrategy: get("index-strategy", isString, "a string"),
    },
  };
}

function pipConfigLayer(file: ConfigFile, name: string): Layer {
  const section = parsePipConfig(file.text).sections[name] ?? {};
  const origin = `${file.path} [${name}]`;
  const list = (key: string) => section[key]?.split(/\s+/).filter(Boolean);
  return {
    origin,
    values: {
      indexUrl: section["index-url"] || undefined,
      extraIndexUrls: list("extra-index-url"),
      findLinks: list("find-links")?.map((l) => toLocationUrl(l, file.baseUrl)),
      noIndex: truthy(section["no-index"], `no-index in ${origin}`),
      cert: section.cert || undefined,
      proxy: section.proxy || undefined,
      timeoutMs: seconds(section.timeout, `timeout in ${origin}`),
      retries: count(section.retries, `retries in ${origin}`),
    },
  };
}

/**
 * A `find-links` entry as an absolute URL: URLs stay, paths (absolute, relative, Windows) become
 * `file:` URLs resolved against `baseUrl`.
 *
 * @example
 * toLocationUrl("wheels", "file:///work/project/"); // "file:///work/project/wheels"
 */
export function toLocationUrl(value: string, baseUrl: string): string {
  if (/^[A-Za-z][A-Za-z0-9+.-]+:\/\//.test(value)) return value;
  if (/^[A-Za-z]:[\\/]/.test(value)) return new URL(`file:///${value.replace(/\\/g, "/")}`).href;
  return new URL(value.replace(/\\/g, "/").split("/").map(encodeURIComponent).join("/"), baseUrl).href;
}

/** pip's strtobool: yes/true/on/1 and no/false/off/0. */
function truthy(value: string | undefined, where: string): boolean | undefined {
  if (value === undefined || value === "") return undefined;
  const lower = value.trim().toLowerCase();
  if (["1", "yes", "true", "on", "y", "t"].includes(lower)) return true;
  if (["0", "no", "false", "off", "n", "f"].includes(lower)) return false;
  throw new KilnError("invalidIndexConfig", `${where} must be true or false, not "${value}"`, { hint: "Use 1/0, yes/no, true/false or on/off" });
}

function seconds(value: string | undefined, where: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  if (!/^\d+(\.\d+)?$/.test(value.trim())) {
    throw new KilnError("invalidIndexConfig", `${where} must be a number of seconds, not "${value}"`, { hint: "Such as 30" });
  }
  return Math.round(Number(value) * 1000);
}

function count(value: string | undefined, where: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  if (!/^\d+$/.test(value.trim())) {
    throw new KilnError("invalidIndexConfig", `${where} must be a whole number, not "${value}"`, { hint: "Such as 3" });
  }
  return Number(value);
}

function validate(settings: IndexSettings): IndexSettings {
  if (settings.indexStrategy !== "first-index" && settings.indexStrategy !== "unsafe-best-match") {
    const origin = settings.origins.indexStrategy ?? "the configuration";
    throw new KilnError("invalidIndexConfig", `The index strategy "${settings.indexStrategy}" from ${origin} is not known`, {
      hint: "Use first-index (the default) or unsafe-best-match",
    });
  }
  for (const url of [settings.indexUrl, ...settings.extraIndexUrls, ...(settings.pyodideBaseUrl ? [settings.pyodideBaseUrl] : [])]) {
    if (!/^https?:\/\//i.test(url)) {
      throw new KilnError("invalidIndexUrl", `Cannot use "${redactUrl(url)}" as an index URL: not an http(s) URL`, {
        hint: "Index URLs look like https://pypi.org/simple/; use --find-links for a local directory",
      });
    }
  }
  return settings;
}
