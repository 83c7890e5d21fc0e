/**
 * The entry point of a virtual environment's `bin/python`: `node node-venv-launcher.js VENV ARGV0
 * ARGS...`. Kept apart from the CLI so that it loads only what running Python needs.
 */
import { resolve } from "node:path";
import { openVirtualEnvironment, processVenv } from "../runtime/index.js";
import { runPythonProcess } from "./node-python-process.js";
import { nodeVenvFileSystem } from "./node-venv-file-system.js";

const [directory, invokedAs, ...args] = process.argv.slice(2);
if (directory === undefined || invokedAs === undefined) {
  process.stderr.write("usage: node-venv-launcher.js VENV_DIR ARGV0 [python arguments...]\n");
  process.exit(2);
}
try {
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
