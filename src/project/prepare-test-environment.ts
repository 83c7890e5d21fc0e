import { digestHex } from "../cache/index.js";
import { silentReporter, type Reporter } from "../core/index.js";
import { parseEntryPoints } from "../installer/index.js";
import type { ProjectTestHost, TestEnvironment, TestPackage } from "./project-test-host.js";

/** Bump when what a template holds, or how it is made, changes. */
const templateFormat = 2;

// The fresh environment's own files (and the installer's state): never taken from a template.
const environmentOwnEntries = new Set(["bin", "pyvenv.cfg", ".gitignore", ".kiln-install"]);

/** Options for {@link prepareTestEnvironment}. */
export interface PrepareTestEnvironmentOptions {
  host: ProjectTestHost;
  /** A fresh, empty environment. */
  environment: TestEnvironment;
  requirements: string[];
  /** The project's normalized name: installed from its wheel on top, never part of a template. */
  projectName?: string;
  /** The variables of the test command; bytecode is compiled with them, minus `PYTHON*` ones. */
  variables: Record<string, string>;
  /**
   * When a template is found: another fresh environment, in a directory of the template's own
   * (see `ProjectTestHost.environmentDirectory`), to fill instead of `environment`; undefined
   * keeps `environment`.
   */
  placeEnvironment?: (templateKey: string) => Promise<TestEnvironment | undefined>;
  reporter?: Reporter;
}

/** What {@link prepareTestEnvironment} did. */
export interface PreparedTestEnvironment {
  /** Every package installed, the project included. */
  packages: TestPackage[];
  /** `copied`: from a template; `created`: installed, compiled and kept as a template; `none`: nothing but the project. */
  template: "copied" | "created" | "none";
  /** The environment filled: `environment`, or the one `placeEnvironment` gave. */
  environment: TestEnvironment;
  /** True when the environment is the one `placeEnvironment` gave (its paths are the same every run). */
  placed: boolean;
}

/**
 * Fills a fresh environment with the test requirements, cheaply when it can: the requirements
 * are resolved every time (so a new release or a changed requirement is seen), and the resolved
 * set without the project is installed once into a pristine *template* kept in kiln's cache,
 * keyed by the runtime, kiln and each package's exact file. The first environment of a resolved
 * set installs it, compiles its bytecode (`compileall` in the runtime: pytest's start-up then
 * reads `.pyc` files instead of compiling from source, whatever `PYTHONDONTWRITEBYTECODE` says for
 * the tests themselves) and keeps a copy; every later one gets the template's files as hard
 * links where the host can make them (else as copies with their modification times, so the
 * bytecode stays valid; a file the environment changes is replaced, never rewritten in place)
 * and copies of its console scripts, pointed at its own `bin/python`. The project's own wheel is installed
 * on top each time, so editing the project never invalidates a template. While the requirements
 * resolve, the template the last run of the same setup used is placed already (see
 * `ProjectTestHost.lastTemplates`), and used only if the resolution gives its key again.
 *
 * @example
 * await prepareTestEnvironment({ host, environment, requirements: ["pytest", "demo @ file:///w/demo-1.0-py3-none-any.whl"], projectName: "demo", variables: env });
 */
export async function prepareTestEnvironment(options: PrepareTestEnvironmentOptions): Promise<PreparedTestEnvironment> {
  const { host } = options;
  let environment = options.environment;
  const reporter = options.reporter ?? silentReporter;
  const started = host.now();
  const setup = await setupName(host, options);
  // Resolving waits on the index (pages are revalidated): meanwhile, the template the last run of
  // the same requirements used is placed, and kept if the resolution names it again.
  const early = placeRememberedTemplate(options, setup).catch(() => undefined);
  const resolution = await host.resolve({ environment, requirements: options.requirements }).catch(async (error: unknown) => {
    await early;
    throw error;
  });
  const seconds = () => ((host.now() - started) / 1000).toFixed(2);
  reporter.debug(`Resolved ${resolution.packages.length} packages (${seconds()} s)`);
  const dependencies = resolution.packages.filter((p) => p.name !== options.projectName);
  const project = resolution.packages.filter((p) => p.name === options.projectName);
  let template: PreparedTestEnvironment["template"] = "none";
  const placedEarly = await early;
  if (dependencies.length) {
    const key = await templateKey(host, environment, dependencies);
    const cache = host.cache("test-environments");
    if (placedEarly?.key === key) {
      environment = placedEarly.environment;
      reporter.debug(`Copied the prepared environment ${key.slice(0, 12)} of ${dependencies.length} packages while resolving (${seconds()} s)`);
      template = "copied";
    }
    const found = template === "none" ? await cache.find(key) : undefined;
    const elsewhere = found !== undefined ? await options.placeEnvironment?.(key) : undefined;
    if (elsewhere) environment = elsewhere;
    if (template === "copied") {
      // Placed while resolving.
    } else if (found !== undefined && (await copyTemplate(host, found, environment))) {
      reporter.debug(`Copied the prepared environment ${key.slice(0, 12)} of ${dependencies.length} packages (${seconds()} s)`);
      template = "copied";
    } else {
      reporter.info(`Installing ${dependencies.length} packages and compiling their bytecode (kept for later runs)`);
      const scriptsBefore = new Set((await host.listDirectory(environment.venv.binDir)).map((entry) => entry.name));
      await host.install({ environment, resolution, names: dependencies.map((p) => p.name) });
      await compileBytecode({ ...options, environment });
      if (dependencies.some((p) => p.name === "pytest")) await rewritePluginAsserts({ ...options, environment });
      await cache.store(key, (directory) => saveTemplate(host, { environment, directory, scriptsBefore })).catch((error: Error) => {
        reporter.warn(`Cannot keep the test environment in kiln's cache: ${error.message}`);
      });
      template = "created";
    }
    if (setup && placedEarly?.key !== key) await host.lastTemplates?.write(setup, key).catch(() => undefined);
  }
  if (project.length) await host.install({ environment, resolution, names: project.map((p) => p.name) });
  return { packages: resolution.packages, template, environment, placed: environment !== options.environment };
}

/**
 * What names a test setup across runs, for {@link ProjectTestHost.lastTemplates}: the requirements
 * but the project's own (its wheel's path changes with its sources, its template does not), the
 * runtime and kiln. Undefined when the host remembers nothing.
 */
async function setupName(host: ProjectTestHost, options: PrepareTestEnvironmentOptions): Promise<string | undefined> {
  if (!host.lastTemplates || !options.placeEnvironment) return undefined;
  const venv = options.environment.venv;
  const requirements = options.requirements.filter((text) => options.projectName === undefined || requirementName(text) !== options.projectName);
  const inputs = { kiln: host.cacheIdentity, runtime: venv.config?.["kiln-runtime"], pyodide: venv.config?.["kiln-pyodide-version"], requirements };
  return digestHex("sha256", new TextEncoder().encode(JSON.stringify(inputs)));
}

/** The normalized project name a PEP 508 requirement starts with. */
function requirementName(text: string): string {
  return (/^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(text)?.[1] ?? "").toLowerCase().replace(/[-_.]+/g, "-");
}

/** The template the last run of this setup used, placed into an environment of its own directory; undefined when there is none to place. */
async function placeRememberedTemplate(options: PrepareTestEnvironmentOptions, setup: string | undefined): Promise<{ key: string; environment: TestEnvironment } | undefined> {
  const { host } = options;
  const key = setup ? await host.lastTemplates?.read(setup) : undefined;
  if (!key || !/^[0-9a-f]{64}$/.test(key)) return undefined;
  const found = await host.cache("test-environments").find(key);
  const environment = found !== undefined ? await options.placeEnvironment?.(key) : undefined;
  if (!found || !environment || !(await copyTemplate(host, found, environment))) return undefined;
  return { key, environment };
}

async function templateKey(host: ProjectTestHost, environment: TestEnvironment, packages: TestPackage[]): Promise<string> {
  const venv = environment.venv;
  const inputs = {
    format: templateFormat,
    kiln: host.cacheIdentity,
    runtime: venv.config?.["kiln-runtime"],
    pyodide: venv.config?.["kiln-pyodide-version"],
    python: venv.config?.version ?? venv.pythonVersion,
    tags: venv.platformTags,
    packages: packages.map((p) => p.identity).sort(),
  };
  return digestHex("sha256", new TextEncoder().encode(JSON.stringify(inputs)));
}

/** What a template's `template.json` records. */
interface TemplateRecord {
  format: number;
  /** The prefix it was installed at, which its scripts name. */
  prefix: string;
  /** Top-level entries of the environment, copied whole (`lib`, and `share`/`include` when wheels had data). */
  entries: string[];
  /** What the install added to `bin`. */
  scripts: string[];
}

async function compileBytecode(options: PrepareTestEnvironmentOptions): Promise<void> {
  const venv = options.environment.venv;
  const env = withoutVariables(options.variables, "PYTHON");
  // compileall exits 1 when a file does not compile (such files exist in real wheels); those
  // modules are compiled on import as before, so that is not an error of the environment.
  const code = await options.host.runCommand({ argv: [`${venv.binDir}/python`, "-m", "compileall", "-qq", venv.sitePackages], cwd: venv.prefix, env });
  if (code !== 0) options.reporter?.debug(`compileall exited with ${code}: some modules of the environment are compiled on import`);
}

/**
 * pytest rewrites the asserts of its plugins (`pytest11` entry points) as it imports them, and
 * keeps the rewritten bytecode in their `__pycache__` (`*-pytest-X.pyc`, checked against the
 * source's time and size), which pytest reads whatever `PYTHONDONTWRITEBYTECODE` says. A template
 * is compiled once: a pytest that loads its plugins and collects nothing writes those files into
 * it, so that each run reads them instead of parsing and rewriting every plugin again.
 */
async function rewritePluginAsserts(options: PrepareTestEnvironmentOptions): Promise<void> {
  const venv = options.environment.venv;
  const host = options.host;
  if (!(await hasPytestPlugins(host, venv.sitePackages))) return;
  const env = withoutVariables(options.variables, "PYTHON", "PYTEST");
  const empty = `${venv.prefix}/.kiln-collect`;
  await host.writeText(`${empty}/.keep`, "");
  // No configuration file, no conftest, no cache: only the plugins are loaded (exit 5: nothing collected).
  const argv = [`${venv.binDir}/python`, "-m", "pytest", "--collect-only", "-q", "-c", "/dev/null", "--noconftest", "-p", "no:cacheprovider", "--rootdir", empty, empty];
  const code = await host.runCommand({ argv, cwd: empty, env });
  await host.remove(empty);
  if (code !== 5 && code !== 0) options.reporter?.debug(`pytest exited with ${code} while loading its plugins: their asserts are rewritten in each run`);
}

async function saveTemplate(
  host: ProjectTestHost,
  context: { environment: TestEnvironment; directory: string; scriptsBefore: ReadonlySet<string> },
): Promise<void> {
  const venv = context.environment.venv;
  const entries = (await host.listDirectory(venv.prefix)).map((entry) => entry.name).filter((name) => !environmentOwnEntries.has(name));
  for (const name of entries) await host.copy(`${venv.prefix}/${name}`, `${context.directory}/${name}`);
  const scripts = (await host.listDirectory(venv.binDir)).map((entry) => entry.name).filter((name) => !context.scriptsBefore.has(name));
  for (const name of scripts) await host.copy(`${venv.binDir}/${name}`, `${context.directory}/bin/${name}`);
  const record: TemplateRecord = { format: templateFormat, prefix: venv.prefix, entries, scripts };
  await host.writeText(`${context.directory}/template.json`, JSON.stringify(record));
}

/** Copies a template into the environment; false (nothing copied) when the template is unreadable. */
async function copyTemplate(host: ProjectTestHost, template: string, environment: TestEnvironment): Promise<boolean> {
  const record = parseTemplateRecord(await host.readText(`${template}/template.json`));
  if (!record) return false;
  const venv = environment.venv;
  // Linked, not copied, where the host can: a template's files are only ever replaced (Python
  // writes bytecode through a rename, and so does pytest's assertion rewriter), so every
  // environment can share them, as installs share the files of kiln's unpacked-wheel cache.
  const place = host.linkTree ? host.linkTree.bind(host) : host.copy.bind(host);
  for (const name of record.entries) await place(`${template}/${name}`, `${venv.prefix}/${name}`);
  const rewritten = new Map<string, string>();
  const oldPython = `${record.prefix}/bin/python`;
  for (const name of record.scripts) {
    const path = `${venv.binDir}/${name}`;
    await host.copy(`${template}/bin/${name}`, path);
    const text = await host.readText(path);
    // Launchers name the interpreter by absolute path: point them at this environment's.
    if (text === undefined || !text.includes(oldPython) || text.includes("\uFFFD")) continue;
    const updated = text.replaceAll(oldPython, `${venv.binDir}/python`);
    await host.writeText(path, updated);
    rewritten.set(path, updated);
  }
  if (rewritten.size) await updateRecords(host, venv.sitePackages, rewritten);
  return true;
}

function parseTemplateRecord(text: string | undefined): TemplateRecord | undefined {
  if (text === undefined) return undefined;
  try {
    const record = JSON.parse(text) as Partial<TemplateRecord>;
    const strings = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === "string" && !item.includes("/") && item !== ".." && item !== ".");
    if (record.format !== templateFormat || typeof record.prefix !== "string" || !strings(record.entries) || !strings(record.scripts)) return undefined;
    return record as TemplateRecord;
  } catch {
    return undefined;
  }
}

/** Keeps each RECORD true to the rewritten launchers (their hash and size). */
async function updateRecords(host: ProjectTestHost, sitePackages: string, rewritten: ReadonlyMap<string, string>): Promise<void> {
  const digests = new Map<string, string>();
  for (const [path, text] of rewritten) {
    const bytes = new TextEncoder().encode(text);
    digests.set(path, `sha256=${await recordDigest(bytes)},${bytes.length}`);
  }
  for (const entry of await host.listDirectory(sitePackages)) {
    if (entry.kind !== "directory" || !entry.name.endsWith(".dist-info")) continue;
    const recordPath = `${sitePackages}/${entry.name}/RECORD`;
    const text = await host.readText(recordPath);
    if (text === undefined) continue;
    let changed = false;
    const lines = text.split("\n").map((line) => {
      const comma = line.indexOf(",");
      if (comma <= 0 || line.startsWith('"')) return line;
      const digest = digests.get(resolvePath(`${sitePackages}/${entry.name}/..`, line.slice(0, comma)));
      if (digest === undefined) return line;
      changed = true;
      return `${line.slice(0, comma)},${digest}`;
    });
    if (!changed) continue;
    // A new file, not the template's (it may be a link to it).
    await host.remove(recordPath);
    await host.writeText(recordPath, lines.join("\n"));
  }
}

/** `base` joined with a relative (or absolute) `/`-separated path, `.` and `..` resolved. */
function resolvePath(base: string, path: string): string {
  const parts: string[] = [];
  for (const part of (path.startsWith("/") ? path : `${base}/${path}`).split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `/${parts.join("/")}`;
}

/** The RECORD digest form: URL-safe base64 without padding (PEP 376/427). */
async function recordDigest(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return btoa(String.fromCharCode(...digest)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Whether a distribution in `sitePackages` declares a `pytest11` entry point; stops at the first. */
async function hasPytestPlugins(host: ProjectTestHost, sitePackages: string): Promise<boolean> {
  for (const entry of await host.listDirectory(sitePackages)) {
    if (entry.kind !== "directory" || !entry.name.endsWith(".dist-info")) continue;
    const text = await host.readText(`${sitePackages}/${entry.name}/entry_points.txt`);
    if (text === undefined) continue;
    try {
      if (parseEntryPoints(text).some((point) => point.group === "pytest11")) return true;
    } catch {
      // A malformed file is pytest's to report in the run itself.
    }
  }
  return false;
}

/** The command's variables without those whose names start with one of `prefixes`. */
function withoutVariables(variables: Record<string, string>, ...prefixes: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(variables).filter(([name]) => !prefixes.some((prefix) => name.startsWith(prefix))));
}
