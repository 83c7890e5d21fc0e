import { spawn } from "node:child_process";
import { access, cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { constants } from "node:os";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { KilnError } from "../core/index.js";
import type { ProjectTestHost, TestEnvironment } from "../project/index.js";
import { formatRuntimeSetting, type RuntimeSpec } from "../runtime/index.js";
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
  /** Where the test command writes; the process's stdio is handed over when these are process.stdout/stderr. */
  output: CommandOutput;
  /** The build workflow: the project's wheel, built into `outputDir`. */
  buildWheel: ProjectTestHost["buildWheel"];
  /** The install workflow: resolve and install requirements into the environment. */
  install: ProjectTestHost["install"];
}

/**
 * The Node implementation of {@link ProjectTestHost}: files with node:fs, fresh environments with
 * `createNodeVirtualEnvironment` (as `kiln venv` makes them), scratch space under the system's
 * temporary directory, and the test command as a child process whose output reaches the user live.
 *
 * @example
 * const host = createNodeProjectTestHost({ env: process.env, cwd: process.cwd(), kilnVersion, output: process, buildWheel, install });
 */
export function createNodeProjectTestHost(options: NodeProjectTestHostOptions): ProjectTestHost {
  return {
    readText: (path) => readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => (error.code === "ENOENT" || error.code === "EISDIR" ? undefined : Promise.reject(error))),
    readBytes: async (path) => new Uint8Array(await readFile(path)),
    exists: (path) => access(path).then(() => true, () => false),
    writeText: async (path, text) => {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text);
    },
    makeScratchDirectory: (label) => mkdtemp(join(options.env.TMPDIR || tmpdir(), `${label}-`)),
    remove: (path) => rm(path, { recursive: true, force: true }),
    copy: async (from, to) => {
      await mkdir(dirname(to), { recursive: true });
      await cp(from, to, { recursive: true, force: true, verbatimSymlinks: true });
    },
    buildWheel: options.buildWheel,
    createEnvironment: (request) => createEnvironment(request, options),
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
  });
  return { venv, label: `${formatRuntimeSetting(request.runtime)} (CPython ${description.pythonVersion}, Pyodide ${description.pyodideVersion})` };
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
