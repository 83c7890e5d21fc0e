import { silentReporter, type Reporter } from "../core/index.js";
import { writesNoBytecode, type PythonCommandLine } from "./python-command-line.js";
import { sigintExitCode, sigintIgnoredVariable, type ProcessConfig } from "./python-runtime.js";
import type { RuntimeHost, RuntimeSpec } from "./runtime-host.js";
import type { PreloadRequest } from "./preload-snapshot.js";
import { startRuntime, type PreparedStartPromises } from "./start-runtime.js";
import { takePreloadSnapshot } from "./take-preload-snapshot.js";
import { recordPreloadImports } from "./record-preload-imports.js";
import { startupConfigFor } from "./startup-config.js";

/** The virtual environment a process runs in, as its driver needs it. */
export interface ProcessVenv {
  prefix: string;
  sitePackages: string;
  includeSystemSitePackages: boolean;
}

/** Options for {@link runPythonMain}. */
export interface PythonMainRequest {
  commandLine: PythonCommandLine;
  /** `sys.orig_argv`: the executable as invoked, then every argument. */
  origArgv: string[];
  /** `sys.executable`: a launcher that runs this same Python. */
  executable: string;
  runtime?: RuntimeSpec;
  venv?: ProcessVenv;
  /** Shared memory another thread writes 2 (SIGINT) into, to raise KeyboardInterrupt. */
  interrupt?: Int32Array;
  /** Start from a memory snapshot (default true). */
  snapshot?: boolean;
  /** The snapshot and compiled wasm, prepared ahead (see `prepareStart`). */
  prepared?: PreparedStartPromises;
  /**
   * Python's code runs only once this has settled (the runtime starts meanwhile): what must be in
   * place first, such as the thread that turns ^C into the `interrupt`.
   */
  runAfter?: Promise<unknown>;
  /** Start with these modules imported (see {@link PreloadRequest}); used for a venv's process only. */
  preload?: PreloadRequest;
  reporter?: Reporter;
}

/**
 * Runs a whole `python3 ARGS` process on WASM: starts (or restores) the runtime with the
 * command line's interpreter options, connects the host's stdio, file system and environment,
 * runs the main part and returns the exit status (negative: die by that signal).
 *
 * @example
 * const code = await runPythonMain(host, {
 *   commandLine: parsePythonCommandLine(["-c", "print(1)"]),
 *   origArgv: ["kiln", "run", "-c", "print(1)"],
 *   executable: "/home/me/.cache/kiln/bin/python",
 * });
 */
export async function runPythonMain(host: RuntimeHost, request: PythonMainRequest): Promise<number> {
  const commandLine = request.commandLine;
  const startup = startupConfigFor(commandLine, host.env);
  const runtime = await startRuntime(host, {
    startup,
    snapshot: request.snapshot ?? true,
    reporter: request.reporter ?? silentReporter,
    ...(request.runtime ? { runtime: request.runtime } : {}),
    ...(request.prepared ? { prepared: request.prepared } : {}),
    ...(request.preload ? { preload: request.preload } : {}),
  });
  const reporter = request.reporter ?? silentReporter;
  runtime.connectStdio(host.stdio);
  runtime.mountHostFileSystem(host);
  reporter.debug("Connected stdio and mounted the host file system");
  const config = commandLine.action ? actionConfig(request, host) : processConfig(request, host);
  await request.runAfter;
  // Before the interrupt buffer and the host functions: a snapshot cannot hold the JavaScript
  // objects they register. A ^C meanwhile is kept in `interrupt` and raised once it is set.
  if (request.preload && runtime.preload?.state === "wanted") await takePreloadSnapshot(host, runtime, { config, preload: request.preload, reporter });
  if (request.interrupt) runtime.setInterruptBuffer(request.interrupt);
  const readline = host.stdio.readline?.bind(host.stdio);
  if (readline && host.stdio.isatty(0)) runtime.setReadline(readline);
  const code = runtime.runProcess(config);
  reporter.debug(`Python finished with status ${code}`);
  if (request.preload && code !== sigintExitCode) await recordPreloadImports(host, runtime, { preload: request.preload, reporter });
  return code;
}

function processConfig(request: PythonMainRequest, host: RuntimeHost): ProcessConfig {
  const commandLine = request.commandLine;
  const { [sigintIgnoredVariable]: sigintIgnored, ...env } = host.env;
  const useEnv = !commandLine.ignoreEnvironment;
  const flagFromEnv = (name: string) => useEnv && (env[name] ?? "") !== "";
  return {
    mode: commandLine.main,
    argv: commandLine.argv,
    origArgv: request.origArgv,
    executable: request.executable,
    cwd: host.cwd,
    env,
    isatty: [host.stdio.isatty(0), host.stdio.isatty(1), host.stdio.isatty(2)],
    pythonPath: useEnv && env.PYTHONPATH ? env.PYTHONPATH.split(":") : [],
    warnOptions: [...(useEnv && env.PYTHONWARNINGS ? env.PYTHONWARNINGS.split(",").filter((w) => w !== "") : []), ...commandLine.warnOptions],
    dontWriteBytecode: writesNoBytecode(commandLine, env),
    unbuffered: commandLine.interpreterOptions.includes("-u") || flagFromEnv("PYTHONUNBUFFERED"),
    inspect: commandLine.inspect || flagFromEnv("PYTHONINSPECT"),
    skipFirstLine: commandLine.skipFirstLine,
    ...(request.venv ? { venv: request.venv } : {}),
    ...(sigintIgnored === "1" ? { sigintIgnored: true } : {}),
  };
}

// -V and -h answer from inside the runtime, so the version printed is the runtime's own.
function actionConfig(request: PythonMainRequest, host: RuntimeHost): ProcessConfig {
  const action = request.commandLine.action!;
  const code =
    action.kind === "version"
      ? `import sys\nprint("Python " + (sys.version if ${action.level} > 1 else sys.version.split()[0]))\n`
      : `print(${JSON.stringify(pythonHelp(request.executable))})\n`;
  const config = processConfig(request, host);
  return { ...config, mode: { kind: "command", value: code }, argv: ["-c"], inspect: false };
}

function pythonHelp(executable: string): string {
  return [
    `usage: ${executable} [option] ... [-c cmd | -m mod | file | -] [arg] ...`,
    "Options (the same as python3's; this interpreter runs on WebAssembly):",
    "-b     : issue warnings about bytes/str comparisons (-bb: errors)",
    "-B     : don't write .pyc files on import",
    "-c cmd : program passed in as string (terminates option list)",
    "-E     : ignore PYTHON* environment variables",
    "-h     : print this help message and exit (also -? or --help)",
    "-i     : inspect interactively after running script",
    "-I     : isolate Python from the user's environment (implies -E, -P and -s)",
    "-m mod : run library module as a script (terminates option list)",
    "-O     : remove assert and __debug__-dependent statements (-OO: also docstrings)",
    "-P     : don't prepend a potentially unsafe path to sys.path",
    "-q     : don't print version and copyright messages on interactive startup",
    "-s     : don't add user site directory to sys.path",
    "-S     : don't imply 'import site' on initialization",
    "-u     : force the stdout and stderr streams to be unbuffered",
    "-v     : verbose (trace import statements)",
    "-V     : print the Python version number and exit (also --version; -VV: more)",
    "-W arg : warning control",
    "-x     : skip first line of source",
    "-X opt : set implementation-specific option",
    "file   : program read from script file",
    "-      : program read from stdin (default; interactive mode if a tty)",
    "arg ...: arguments passed to program in sys.argv[1:]",
  ].join("\n");
}
