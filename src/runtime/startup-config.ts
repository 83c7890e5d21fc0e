import type { PythonCommandLine } from "./python-command-line.js";

/**
 * What the runtime's own CPython start-up sees: interpreter options and the `PYTHON*` variables
 * that configure it. Two processes with equal start-up configurations can share a memory snapshot.
 */
export interface StartupConfig {
  args: string[];
  env: Record<string, string>;
}

// Applied by kiln's driver on every run rather than at start-up, so that they do not each need a
// snapshot of their own: they only touch sys.path, the REPL, or what kiln does anyway.
const appliedPerRun = new Set(["PYTHONPATH", "PYTHONSTARTUP", "PYTHONINSPECT", "PYTHONDONTWRITEBYTECODE", "PYTHONHOME", "PYTHONWARNINGS"]);

/**
 * The start-up configuration for a command line and environment: the interpreter options, plus
 * the `PYTHON*` variables CPython reads at start-up (none with `-E` or `-I`).
 *
 * @example
 * startupConfigFor(parsePythonCommandLine(["-u", "x.py"]), { PYTHONWARNINGS: "error" });
 * // { args: ["-u"], env: { PYTHONWARNINGS: "error" } }
 */
export function startupConfigFor(commandLine: PythonCommandLine, env: Record<string, string>): StartupConfig {
  const startupEnv: Record<string, string> = {};
  if (!commandLine.ignoreEnvironment) {
    for (const name of Object.keys(env).sort()) {
      if (name.startsWith("PYTHON") && !appliedPerRun.has(name) && env[name] !== "") startupEnv[name] = env[name]!;
    }
  }
  return { args: [...commandLine.interpreterOptions], env: startupEnv };
}

/** The start-up configuration of a plain `python3` with no options and no `PYTHON*` variables. */
export const defaultStartupConfig: StartupConfig = { args: [], env: {} };
