/**
 * The entry point of a virtual environment's `bin/python`: `node node-venv-launcher.js VENV ARGV0
 * ARGS...`. Kept apart from the CLI so that it loads only what running Python needs; the helper
 * thread a warm start waits for starts before that loads (see `startHelperEarly`).
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { startHelperEarly } from "./node-early-start-helper.js";

const [directory, invokedAs, ...args] = process.argv.slice(2);
if (directory === undefined || invokedAs === undefined) {
  process.stderr.write("usage: node-venv-launcher.js VENV_DIR ARGV0 [python arguments...]\n");
  process.exit(2);
}
startHelperEarly({ args, env: process.env, bundled: usesBundledRuntime(directory) });
try {
  const { openVirtualEnvironment, processVenv } = await import("../runtime/index.js");
  const { runPythonProcess } = await import("./node-python-process.js");
  const { nodeVenvFileSystem } = await import("./node-venv-file-system.js");
  const venv = await openVirtualEnvironment(directory, nodeVenvFileSystem());
  process.exitCode = await runPythonProcess({
    args,
    executable: resolve(invokedAs),
    invokedAs: [invokedAs],
    runtime: venv.runtime,
    venv: processVenv(venv),
  });
} catch (error) {
  const described = error as { message?: string; hint?: string };
  process.stderr.write(`error: ${described.message ?? String(error)}\n${described.hint ? `hint: ${described.hint}\n` : ""}`);
  process.exitCode = 1;
}

/** A first look at the environment's runtime (`openVirtualEnvironment` reads it properly), for the early helper's guess. */
function usesBundledRuntime(venv: string): boolean {
  try {
    return /^kiln-runtime = bundled$/m.test(readFileSync(join(venv, "pyvenv.cfg"), "utf8"));
  } catch {
    return false;
  }
}
