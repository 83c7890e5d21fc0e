import { KilnError } from "../../core/index.js";
import { defineCommand } from "../command.js";

/** `kiln run`: python3's command line, on WebAssembly. */
export const runCommand = defineCommand({
  name: "run",
  summary: "Run Python on WebAssembly, with python3's command line",
  usage: "[--runtime pyodide@VERSION] [python options] [-c cmd | -m mod | script | -] [args...]",
  description:
    "Takes exactly what python3 takes (-c, -m, a script, -, -i, -u, -I, -E, -X, -W, ...) and runs it on\n" +
    "CPython compiled to WebAssembly (Pyodide), with the host's files, environment and stdio.\n" +
    "kiln's own options come first; everything after them is python3's.\n" +
    "The first run for a set of interpreter options builds a memory snapshot in kiln's cache\n" +
    "(KILN_CACHE_DIR); later runs start from it.",
  options: [
    {
      name: "runtime",
      type: "string",
      valueName: "pyodide@VERSION",
      description: "The runtime (default: the bundled Pyodide); others are fetched from npm into kiln's cache",
    },
  ],
  passThrough: true,
  run: async ({ arguments: parsed, env, cwd, output }) => {
    const { runtime, args } = takeRunOptions(parsed.rest);
    const { parseRuntimeSetting } = await import("../../runtime/index.js");
    const spec = runtime === undefined ? undefined : parseRuntimeSetting(runtime);
    const { runPythonProcess } = await import("../../platform/node-python-process.js");
    const { ensureRunLauncher } = await import("../../platform/node-run-launcher.js");
    const { kilnCacheDir } = await import("../../platform/kiln-cache-dir.js");
    const executable = ensureRunLauncher(kilnCacheDir(env, { cwd }), spec?.kind === "npm" ? { runtime: `pyodide@${spec.version}` } : {});
    return runPythonProcess({ args, executable, env, cwd, stderr: output.stderr, ...(spec ? { runtime: spec } : {}) });
  },
});

/**
 * Splits kiln's own options (before the first python3 argument) from python3's arguments.
 *
 * @example
 * takeRunOptions(["--runtime", "pyodide@0.29.x", "-c", "pass"]); // { runtime: "pyodide@0.29.x", args: ["-c", "pass"] }
 */
export function takeRunOptions(argv: string[]): { runtime?: string; args: string[] } {
  let runtime: string | undefined;
  let index = 0;
  while (index < argv.length) {
    const argument = argv[index]!;
    if (argument.startsWith("--runtime=")) {
      runtime = argument.slice("--runtime=".length);
      index += 1;
    } else if (argument === "--runtime") {
      if (argv[index + 1] === undefined) throw new KilnError("usage", "--runtime needs a value, such as pyodide@0.29.x");
      runtime = argv[index + 1];
      index += 2;
    } else {
      break;
    }
  }
  return { ...(runtime !== undefined ? { runtime } : {}), args: argv.slice(index) };
}
