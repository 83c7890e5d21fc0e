import { execFile, spawn } from "node:child_process";
import { access, chmod, copyFile, cp, link, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rename, rm, stat, symlink, unlink, utimes, writeFile } from "node:fs/promises";
import { constants } from "node:os";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { KilnError, type Reporter } from "../core/index.js";
import type { DirectoryCache, DirectoryEntry, ProjectTestHost, TestEnvironment } from "../project/index.js";
import { formatRuntimeSetting, type RuntimeSpec } from "../runtime/index.js";
import { kilnCacheFolders } from "./kiln-cache-folders.js";
import { NodeDirectoryCache } from "./node-directory-cache.js";
import { EnvironmentDirectories } from "./node-environment-directories.js";
import { createNodeVirtualEnvironment } from "./node-venv.js";

/** Where a test command's output goes: the process's own streams, or sinks (tests, in-process CLI). */
export interface CommandOutput {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** Options for {@link createNodeProjectTestHost}. */
export interface NodeProjectTestHostOptions {
  env: Record<string, string | undefined>;
  cwd: string;
  kilnVersion: string;
  /** kiln's cache directory: built project wheels, test environment templates, runtime descriptions. */
  cacheDir: string;
  /** Where the test command writes; the process's stdio is handed over when these are process.stdout/stderr. */
  output: CommandOutput;
  /** The build workflow: the project's wheel, built into `outputDir`. */
  buildWheel: ProjectTestHost["buildWheel"];
  /** The install workflow: resolve requirements for an environment, then install (part of) the resolution. */
  resolve: ProjectTestHost["resolve"];
  install: ProjectTestHost["install"];
  /** Hears about once-per-runtime work while environments are made (compiling the standard library). */
  reporter?: Reporter;
}

/**
 * The Node implementation of {@link ProjectTestHost}: files with node:fs, fresh environments with
 * `createNodeVirtualEnvironment` (as `kiln venv` makes them), scratch space under the system's
 * temporary directory, caches under kiln's cache directory (`project-wheels/`, `test-environments/`),
 * and the test command as a child process whose output reaches the user live.
 *
 * @example
 * const host = createNodeProjectTestHost({ env: process.env, cwd: process.cwd(), kilnVersion, cacheDir, output: process, buildWheel, resolve, install });
 */
export function createNodeProjectTestHost(options: NodeProjectTestHostOptions): ProjectTestHost {
  const caches = {
    "project-wheels": new NodeDirectoryCache(join(options.cacheDir, kilnCacheFolders.projectWheels), { maxEntries: 32 }),
    // A template is the size of its packages (tens of MB for a typical test set).
    "test-environments": new NodeDirectoryCache(join(options.cacheDir, kilnCacheFolders.testEnvironments), { maxEntries: 8 }),
  } satisfies Record<string, DirectoryCache>;
  const environmentDirectories = new EnvironmentDirectories(join(options.cacheDir, kilnCacheFolders.testRuns), caches["test-environments"].root);
  return {
    readText: (path) => readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => (error.code === "ENOENT" || error.code === "EISDIR" ? undefined : Promise.reject(error))),
    readBytes: async (path) => new Uint8Array(await readFile(path)),
    exists: (path) => access(path).then(() => true, () => false),
    listDirectory,
    writeText: async (path, text) => {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text);
    },
    makeScratchDirectory: (label) => mkdtemp(join(options.env.TMPDIR || tmpdir(), `${label}-`)),
    remove: (path) => rm(path, { recursive: true, force: true }),
    copy: copyPreserving,
    linkTree,
    environmentDirectory: (key) => environmentDirectories.acquire(key),
    lastTemplates: lastTemplates(join(options.cacheDir, "test-setups")),
    cache: (name) => caches[name],
    cacheIdentity: `kiln ${options.kilnVersion}`,
    buildWheel: options.buildWheel,
    createEnvironment: (request) => createEnvironment(request, options),
    resolve: options.resolve,
    install: options.install,
    runCommand: (request) => runCommand(request, options.output),
    now: () => performance.now(),
  };
}

async function createEnvironment(request: { directory: string; runtime: RuntimeSpec }, options: NodeProjectTestHostOptions): Promise<TestEnvironment> {
  const { venv, description } = await createNodeVirtualEnvironment({
    directory: request.directory,
    runtime: request.runtime,
    kilnVersion: options.kilnVersion,
    env: options.env,
    cwd: options.cwd,
    cacheDir: options.cacheDir,
    ...(options.reporter ? { reporter: options.reporter } : {}),
  });
  return { venv, label: `${formatRuntimeSetting(request.runtime)} (CPython ${description.pythonVersion}, Pyodide ${description.pyodideVersion})` };
}

/** One small file per test setup, holding the template key its last run used; written whole (a rename). */
function lastTemplates(directory: string): NonNullable<ProjectTestHost["lastTemplates"]> {
  const pathOf = (name: string) => {
    if (!/^[0-9a-f]{64}$/.test(name)) throw new RangeError(`Not a test setup name: "${name}"`);
    return join(directory, name);
  };
  return {
    read: (name) => readFile(pathOf(name), "utf8").then((text) => text.trim(), () => undefined),
    write: async (name, key) => {
      await mkdir(directory, { recursive: true });
      const temporary = `${pathOf(name)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      await writeFile(temporary, key);
      await rename(temporary, pathOf(name));
    },
  };
}

async function listDirectory(path: string): Promise<DirectoryEntry[]> {
  const entries = await readdir(path, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) =>
    error.code === "ENOENT" || error.code === "ENOTDIR" ? [] : Promise.reject(error),
  );
  return Promise.all(
    entries.map(async (entry): Promise<DirectoryEntry> => {
      const followed = entry.isSymbolicLink() ? await stat(join(path, entry.name)).catch(() => undefined) : entry;
      const kind = followed?.isFile() ? "file" : followed?.isDirectory() ? "directory" : "other";
      return entry.isSymbolicLink() ? { name: entry.name, kind, symlink: true } : { name: entry.name, kind };
    }),
  );
}

/**
 * Copies with modification times and modes kept (compiled bytecode is validated against its
 * source's time). `cp -a` is used where there is one: for a tree of a few thousand files it takes
 * tens of milliseconds where Node's `fs.cp` takes hundreds.
 */
async function copyPreserving(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  const isDirectory = (await stat(from)).isDirectory();
  if (process.platform !== "win32") {
    const copied = await new Promise<boolean>((resolve, reject) => {
      execFile("cp", ["-a", isDirectory ? `${from}/.` : from, to], (error, _stdout, stderr) => {
        if (!error) resolve(true);
        else if ((error as NodeJS.ErrnoException).code === "ENOENT") resolve(false);
        else reject(new Error(`Cannot copy ${from} to ${to}: ${stderr.trim() || error.message}`));
      });
    });
    if (copied) return;
  }
  await cp(from, to, { recursive: true, force: true, verbatimSymlinks: true, preserveTimestamps: true });
}

/**
 * A tree of hard links: directories are made, regular files linked, symbolic links recreated. A
 * file that cannot be linked (another file system, a link-count limit) is copied with its time
 * and mode. An existing file at a destination is removed first, so nothing is written into it.
 * GNU `cp -al` does it where there is one: one process linking a thousand files takes a third of
 * the time Node's per-file calls take; where it fails (no GNU cp, another file system), the
 * files are linked or copied one by one.
 */
async function linkTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  if (process.platform === "linux" && (await linkWithCp(from, to))) return;
  await linkEachFile(from, to);
}

function linkWithCp(from: string, to: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile("cp", ["-a", "-l", "--remove-destination", `${from}/.`, to], (error) => resolve(!error));
  });
}

async function linkEachFile(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  const entries = await readdir(from, { withFileTypes: true });
  await Promise.all(
    entries.map(async (entry) => {
      const source = join(from, entry.name);
      const target = join(to, entry.name);
      if (entry.isDirectory()) return linkEachFile(source, target);
      await unlink(target).catch((error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? undefined : Promise.reject(error)));
      if (entry.isSymbolicLink()) return symlink(await readlink(source), target);
      try {
        await link(source, target);
      } catch {
        await copyFile(source, target);
        const { mode, atime, mtime } = await lstat(source);
        await chmod(target, mode & 0o7777);
        await utimes(target, atime, mtime);
      }
    }),
  );
}

function runCommand(request: { argv: string[]; cwd: string; env: Record<string, string> }, output: CommandOutput): Promise<number> {
  const [program, ...args] = request.argv as [string, ...string[]];
  const inherit = output.stdout === process.stdout && output.stderr === process.stderr;
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd: request.cwd, env: request.env, stdio: inherit ? "inherit" : ["inherit", "pipe", "pipe"] });
    child.stdout?.setEncoding("utf8").on("data", (text: string) => output.stdout.write(text));
    child.stderr?.setEncoding("utf8").on("data", (text: string) => output.stderr.write(text));
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(
        new KilnError("testSetupFailed", `Cannot run the test command "${request.argv.join(" ")}": ${error.message}`, {
          hint: error.code === "ENOENT" ? `"${program}" is neither in the environment's bin nor on PATH; add the package that provides it to the test requirements` : "Check [tool.kiln.test] command",
          cause: error,
        }),
      );
    });
    child.on("close", (code, signal) => resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)));
  });
}
