import { spawn } from "node:child_process";
import { constants } from "node:os";
import { fileURLToPath } from "node:url";
import { HostModuleRegistry, type HostModuleContext } from "../runtime/index.js";

/** kiln's own command line, which `python -m pip` hands its arguments to. */
const kilnBin = fileURLToPath(new URL("../../bin/kiln.js", import.meta.url));

/**
 * The modules `python -m NAME` runs on the host rather than in the WASM interpreter, for `kiln run`
 * and venv launchers alike.
 *
 * `pip` is kiln's pip: `venv/bin/python -m pip ARGS` and the venv's `bin/pip` launcher (see
 * `writeModuleLauncher`) run `kiln pip ARGS` with the launcher's venv as the target
 * (`VIRTUAL_ENV`; an explicit `--python` still wins). It runs as a child process because the
 * CLI sits above this layer; handlers start only when asked for, so plain Python runs pay nothing.
 *
 * @example
 * const handler = (await hostModules()).get("pip");
 */
export async function hostModules(): Promise<HostModuleRegistry> {
  const modules = new HostModuleRegistry();
  modules.register("pip", runKilnPip);
  return modules;
}

function runKilnPip(context: HostModuleContext): Promise<number> {
  const env = { ...context.env, ...(context.venv ? { VIRTUAL_ENV: context.venv.prefix } : {}) };
  // The process's own stdio is passed through, so pip's progress bars see the terminal.
  // By descriptor, not identity: the CLI may hold them as lazyStdio stand-ins (see node-lazy-stdio).
  const inherit = descriptorOf(context.stdout) === 1 && descriptorOf(context.stderr) === 2;
  const child = spawn(process.execPath, [kilnBin, "pip", ...context.args], { cwd: context.cwd, env, stdio: inherit ? "inherit" : ["inherit", "pipe", "pipe"] });
  child.stdout?.on("data", (chunk: Buffer) => context.stdout.write(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => context.stderr.write(chunk.toString()));
  const forward = () => undefined; // Ctrl-C reaches the child through the terminal's process group.
  process.on("SIGINT", forward);
  return new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 1)));
  }).finally(() => process.off("SIGINT", forward));
}

/** The descriptor a stream writes to (`process.stdout.fd` is 1), or undefined for a sink of another kind. */
function descriptorOf(stream: object): number | undefined {
  const fd = (stream as { fd?: unknown }).fd;
  return typeof fd === "number" ? fd : undefined;
}
