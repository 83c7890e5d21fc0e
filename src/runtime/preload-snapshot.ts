import type { PythonCommandLine } from "./python-command-line.js";
import type { ProcessVenv } from "./run-python-main.js";
import type { RuntimeHost } from "./runtime-host.js";
import { hashString, snapshotName } from "./snapshot-key.js";

/**
 * Modules to have imported already when a process of a virtual environment starts: the process
 * starts from a memory snapshot taken after importing them (in the same environment, at the same
 * path), when that snapshot is still true to the files and the process's context, else from the
 * runtime's own snapshot, and takes the snapshot for next time.
 */
export interface PreloadRequest {
  /** Module names, imported in this order (`pytest`, then its plugins). */
  modules: string[];
  venv: ProcessVenv;
  /**
   * Directories the process looks in before the standard library and site-packages (its
   * `sys.path[0]`, `PYTHONPATH`): a preloaded name found there would be shadowed in a real start,
   * so the snapshot is not used then.
   */
  searchedFirst: string[];
  /** `-W` and `PYTHONWARNINGS`: the imports ran under them. */
  warnOptions: string[];
  /** The process environment: variables the imports read must have the values they had. */
  env: Record<string, string>;
}

/** What a preload snapshot was made from, kept beside it, checked before it is used. */
export interface PreloadManifest {
  /** Each imported module's file outside the runtime's own `/lib`, with its stamp then (see {@link RuntimeHost.fileStamps}). */
  files: Record<string, string>;
  /** Top-level names of the modules the preload imported. */
  names: string[];
  /** Environment variables the imports read, and their values then (null: unset). */
  env: Record<string, string | null>;
  /**
   * Standard-library modules imported after `modules` because earlier processes of this preload
   * imported them (see `recordPreloadImports`), whether or not they could be preloaded.
   */
  stdlib?: string[];
}

/** Bump when what a preload snapshot holds changes ({@link preloadSource}): older ones are then not restored. */
const preloadFormat = 3;

/**
 * The key of a preload snapshot: the runtime's own snapshot key, the venv, the modules and
 * warning options; the manifest's digest is added, so that a snapshot and a manifest from
 * different writers never pair up.
 *
 * @example
 * preloadKey(baseKey, request, manifestText);
 */
export function preloadKey(baseKey: string, request: PreloadRequest, manifestText?: string): string {
  const inputs = { format: preloadFormat, base: baseKey, modules: request.modules, venv: request.venv, warnOptions: request.warnOptions };
  return JSON.stringify({ preload: inputs, ...(manifestText === undefined ? {} : { manifest: hashString(manifestText) }) });
}

/**
 * Where a preload snapshot and its manifest are kept in the snapshot store.
 *
 * @example
 * preloadNames(baseKey, request); // { snapshot: "snapshot-…", manifest: "snapshot-….manifest", imports: "snapshot-….imports" }
 */
export function preloadNames(baseKey: string, request: PreloadRequest): { snapshot: string; manifest: string; imports: string } {
  const snapshot = snapshotName(preloadKey(baseKey, request));
  return { snapshot, manifest: `${snapshot}.manifest`, imports: `${snapshot}.imports` };
}

/**
 * The outcome of {@link checkPreload}: the key to restore with, or why not, and whether a new
 * preload snapshot would do better (not when the process would shadow a preloaded name anyway).
 */
export type PreloadCheck = { ok: true; key: string } | { ok: false; reason: string; remake: boolean };

/**
 * Reads a preload snapshot's manifest and checks it against the files and the process: every
 * imported file unchanged (size, time, inode), no preloaded name in a directory searched first,
 * every environment variable the imports read unchanged, and no standard-library module that
 * earlier processes imported missing from it (then it is taken again, with them: see
 * `recordPreloadImports`). A host that cannot stamp files or list directories never uses preloads.
 *
 * @example
 * const check = await checkPreload(host, baseKey, request);
 * if (check.ok) restoreWith(check.key);
 */
export async function checkPreload(host: RuntimeHost, baseKey: string, request: PreloadRequest): Promise<PreloadCheck> {
  if (!host.fileStamps || !host.directoryNames) return { ok: false, reason: "the host cannot check files", remake: false };
  const names = preloadNames(baseKey, request);
  const bytes = await host.snapshots.read(names.manifest).catch(() => undefined);
  if (!bytes) return { ok: false, reason: "no preload snapshot yet", remake: true };
  const text = new TextDecoder().decode(bytes);
  const manifest = parsePreloadManifest(text);
  if (!manifest) return { ok: false, reason: "its manifest is unreadable", remake: true };
  const paths = Object.keys(manifest.files);
  const stamps = await host.fileStamps(paths);
  const changed = paths.find((path, index) => stamps[index] !== manifest.files[path]);
  if (changed !== undefined) return { ok: false, reason: `${changed} changed`, remake: true };
  for (const [name, value] of Object.entries(manifest.env)) {
    if ((request.env[name] ?? null) !== value) return { ok: false, reason: `the imports read ${name}, which differs`, remake: true };
  }
  const preloaded = new Set(manifest.names);
  for (const directory of new Set(request.searchedFirst)) {
    const shadow = (await host.directoryNames(directory)).find((entry) => preloaded.has(entry.split(".")[0]!));
    if (shadow !== undefined) return { ok: false, reason: `${directory}/${shadow} would shadow a preloaded module`, remake: false };
  }
  const imported = new Set(manifest.stdlib ?? []);
  const more = (await readPreloadImports(host, names.imports)).filter((name) => !imported.has(name));
  if (more.length) return { ok: false, reason: `earlier runs imported ${more.length} more standard-library modules (${more.slice(0, 3).join(", ")}${more.length > 3 ? ", …" : ""})`, remake: true };
  return { ok: true, key: preloadKey(baseKey, request, text) };
}

/**
 * Parses a manifest; undefined when it is not one.
 *
 * @example
 * parsePreloadManifest('{"files":{},"names":["pytest"],"env":{}}');
 */
export function parsePreloadManifest(text: string): PreloadManifest | undefined {
  try {
    const value = JSON.parse(text) as Partial<PreloadManifest>;
    const isRecord = (item: unknown): item is Record<string, unknown> => typeof item === "object" && item !== null && !Array.isArray(item);
    if (!isRecord(value.files) || !Object.values(value.files).every((stamp) => typeof stamp === "string")) return undefined;
    if (!Array.isArray(value.names) || !value.names.every((name) => typeof name === "string" && name !== "")) return undefined;
    if (!isRecord(value.env) || !Object.values(value.env).every((item) => item === null || typeof item === "string")) return undefined;
    if (value.stdlib !== undefined && !(Array.isArray(value.stdlib) && value.stdlib.every(isModuleName))) return undefined;
    return value as PreloadManifest;
  } catch {
    return undefined;
  }
}

/**
 * Whether `name` is a dotted module name.
 *
 * @example
 * isModuleName("email.parser"); // true
 * isModuleName("../x"); // false
 */
export function isModuleName(name: unknown): name is string {
  return typeof name === "string" && /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/.test(name);
}

/**
 * The standard-library modules earlier processes of a preload imported beyond it (its `imports`
 * blob, see {@link preloadNames}); empty when there is none or it is unreadable.
 *
 * @example
 * await readPreloadImports(host, preloadNames(baseKey, request).imports); // ["email.parser", "pdb"]
 */
export async function readPreloadImports(host: Pick<RuntimeHost, "snapshots">, name: string): Promise<string[]> {
  const bytes = await host.snapshots.read(name).catch(() => undefined);
  if (!bytes) return [];
  try {
    const value = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    return Array.isArray(value) ? value.filter(isModuleName) : [];
  } catch {
    return [];
  }
}

/**
 * Python run (with `config`, `modules` and `extras` as JSON text in its globals) in a process that is to
 * take a preload snapshot: applies the process's environment, warning options and venv (without
 * its `sys.path[0]` or `PYTHONPATH`), imports the modules, then the standard-library `extras`
 * earlier processes imported (each one whose import warns or fails is left out), noting the
 * environment variables they read, freezes what they made (`gc.freeze`, as before a fork: the collector then skips it),
 * and leaves `result`: the manifest's files (unstamped), names and variables. It
 * refuses environments whose `.pth` files run code: that code would run twice.
 */
export const preloadSource = String.raw`
import json, os, sys
import _kiln_main

def _kiln_import_quietly(name):
    import warnings
    present = set(sys.modules)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            __import__(name)
    except Exception:
        caught = True
    if caught:
        # An import that warns or fails is left to the run, which then sees it as it would have.
        for added in set(sys.modules) - present:
            sys.modules.pop(added, None)

def _kiln_preload(config, modules, extras):
    site_packages = config["venv"]["sitePackages"]
    for entry in os.listdir(site_packages):
        if entry.endswith(".pth"):
            with open(os.path.join(site_packages, entry), encoding="utf-8", errors="replace") as file:
                if any(line.startswith(("import ", "import\t")) for line in file):
                    raise RuntimeError(f"{entry} runs code at start-up")
    before = set(sys.modules)
    _kiln_main._set_environment(config["env"])
    _kiln_main._set_warnings(config["warnOptions"])
    _kiln_main._set_path({**config, "pythonPath": [], "mode": {"kind": "command"}})
    if sys.path and sys.path[0] == "":
        del sys.path[0]
    read = set()
    environ_type = type(os.environ)
    original = environ_type.__getitem__

    def noting(self, key):
        read.add(key)
        return original(self, key)

    environ_type.__getitem__ = noting
    try:
        for name in modules:
            __import__(name)
        for name in extras:
            if name not in sys.modules:
                _kiln_import_quietly(name)
    finally:
        environ_type.__getitem__ = original
    new = [name for name in list(sys.modules) if name not in before]
    # What the process's end does not report as imported beyond the preload (recordPreloadImports).
    _kiln_main._preload_accounted = frozenset(sys.modules) | frozenset(extras)
    # What the imports made lives as long as the process (modules, classes, functions): frozen, the
    # collector no longer walks it in every full collection of the run (pytest collects at its end).
    import gc
    gc.collect()
    gc.freeze()
    files = set()
    for name in new:
        file = getattr(sys.modules[name], "__file__", None)
        if isinstance(file, str) and not file.startswith("/lib/"):
            files.add(os.path.abspath(file))
    return {"files": sorted(files), "names": sorted({name.split(".")[0] for name in new}),
            "env": {key: os.environ.get(key) for key in sorted(read) if isinstance(key, str)}}

result = json.dumps(_kiln_preload(json.loads(config), json.loads(modules), json.loads(extras)))
`;

/**
 * The {@link PreloadRequest} of a process: where it looks before site-packages (its working
 * directory, a script's directory, `PYTHONPATH`; erring on the side of more), and its warning
 * options as kiln's driver applies them.
 *
 * @example
 * preloadRequestFor(commandLine, { modules: ["pytest"], venv, env, cwd: "/work" });
 */
export function preloadRequestFor(
  commandLine: PythonCommandLine,
  context: { modules: string[]; venv: ProcessVenv; env: Record<string, string>; cwd: string },
): PreloadRequest {
  const useEnv = !commandLine.ignoreEnvironment;
  const searchedFirst = [context.cwd];
  if (commandLine.main.kind === "script" && commandLine.main.value) {
    const script = commandLine.main.value.startsWith("/") ? commandLine.main.value : `${context.cwd}/${commandLine.main.value}`;
    searchedFirst.push(script.slice(0, script.lastIndexOf("/")) || "/");
  }
  if (useEnv && context.env.PYTHONPATH) searchedFirst.push(...context.env.PYTHONPATH.split(":").filter(Boolean).map((entry) => (entry.startsWith("/") ? entry : `${context.cwd}/${entry}`)));
  const warnOptions = [...(useEnv && context.env.PYTHONWARNINGS ? context.env.PYTHONWARNINGS.split(",").filter((w) => w !== "") : []), ...commandLine.warnOptions];
  return { modules: context.modules, venv: context.venv, searchedFirst, warnOptions, env: context.env };
}
