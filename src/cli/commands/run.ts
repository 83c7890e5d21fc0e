import { defineCommand } from "../command.js";

/** `kiln run`: python3's command line, on WebAssembly. */
export const runCommand = defineCommand({
  name: "run",
  summary: "Run Python on WebAssembly, with python3's command line",
  usage: "[python options] [-c cmd | -m mod | script | -] [args...]",
  description:
    "Takes exactly what python3 takes (-c, -m, a script, -, -i, -u, -I, -E, -X, -W, ...) and runs it on\n" +
    "CPython compiled to WebAssembly (Pyodide), with the host's files, environment and stdio.\n" +
    "The first run for a set of interpreter options builds a memory snapshot in kiln's cache\n" +
    "(KILN_CACHE_DIR); later runs start from it.",
  options: [],
  passThrough: true,
  run: async ({ arguments: parsed, env, cwd, output }) => {
    const { runPythonProcess } = await import("../../platform/node-python-process.js");
    const { ensureRunLauncher } = await import("../../platform/node-run-launcher.js");
    const { kilnCacheDir } = await import("../../platform/kiln-cache-dir.js");
    const executable = ensureRunLauncher(kilnCacheDir(env, { cwd }));
    return runPythonProcess({ args: parsed.rest, executable, env, cwd, stderr: output.stderr });
  },
});
