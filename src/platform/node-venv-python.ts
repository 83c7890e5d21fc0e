/**
 * What a virtual environment's `bin/python` runs (see `node-venv-launcher.ts`, which loads this
 * from a one-file bundle through V8's code cache when it can).
 */
import { resolve } from "node:path";
import { openVirtualEnvironment, processVenv } from "../runtime/index.js";
import type { CliStreams } from "./node-code-cache.js";
import { runPythonProcess } from "./node-python-process.js";
import { nodeVenvFileSystem } from "./node-venv-file-system.js";

/**
 * Runs `python ARGS` in the environment `VENV`, as invoked by `ARGV0`: `argv` is
 * `[VENV, ARGV0, ...ARGS]`. Returns the exit status; an environment kiln cannot open is reported
 * on `streams.stderr` with status 1.
 *
 * @example
 * process.exitCode = await runVenvPython(["/work/.venv", "/work/.venv/bin/python", "-c", "pass"], streams);
 */
export async function runVenvPython(argv: string[], streams: CliStreams): Promise<number> {
  const [directory, invokedAs, ...args] = argv;
  try {
    const venv = await openVirtualEnvironment(directory!, nodeVenvFileSystem());
    return await runPythonProcess({
      args,
      executable: resolve(invokedAs!),
      invokedAs: [invokedAs!],
      runtime: venv.runtime,
      venv: processVenv(venv),
    });
  } catch (error) {
    const described = error as { message?: string; hint?: string };
    streams.stderr.write(`error: ${described.message ?? String(error)}\n${described.hint ? `hint: ${described.hint}\n` : ""}`);
    return 1;
  }
}
