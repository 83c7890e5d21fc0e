/**
 * The helper thread of a Python process (see `node-start-helper.ts`), started as the process
 * starts, before kiln's own modules load. A warm start's longest chain is the helper's: a new V8
 * isolate and Node's bootstrap (~40-50 ms of CPU), then the compile of the runtime's wasm, which
 * the thread running Python waits for before it can instantiate it; started this early, the
 * helper has booted by the time `runPythonProcess` knows what to prepare.
 *
 * The early helper does nothing until it is adopted: it watches no signal (a process that runs no
 * Python keeps ^C's default) and reads nothing. `runPythonProcess` adopts it (and posts it the
 * `StartHelperData`) or ends it.
 */
import { isatty } from "node:tty";
import { Worker } from "node:worker_threads";

/**
 * What an early helper is started with: it waits for a `StartHelperData` message, compiling the
 * bundled runtime meanwhile with `compileBundled` (see `compileAhead`).
 */
export interface EarlyStartHelperData {
  early: true;
  compileBundled: boolean;
}

/**
 * The early helper, on the process's global object: `bin/kiln.js` starts it from the ES module
 * bundle, and a command may adopt it from the one-file CommonJS bundle (run from V8's code cache),
 * which holds its own copy of this module.
 */
const slot = Symbol.for("kiln.earlyStartHelper");
const holder = globalThis as { [slot]?: Worker | undefined };

/**
 * Starts the helper now when the process will most likely run Python on this thread (see
 * {@link pythonThread}) and not a module kiln runs on the host (`-m pip`). `bundled`: the process
 * most likely runs the bundled runtime, which the helper then compiles while it waits (not for
 * `kiln test`'s preloaded processes, which compile without a start profile). A wrong guess costs
 * work on another core, nothing else: what is prepared is checked against what the start needs.
 *
 * @example
 * startHelperEarly({ args: process.argv.slice(3), env: process.env, bundled: true }); // in bin/kiln.js, for `kiln run`
 */
export function startHelperEarly(options: { args: string[]; env: Record<string, string | undefined>; bundled: boolean }): void {
  if (holder[slot] || pythonThread(options.env) !== "main" || (options.args[0] === "-m" && options.args[1] === "pip")) return;
  const data: EarlyStartHelperData = { early: true, compileBundled: options.bundled && !options.env.KILN_PRELOAD_MODULES };
  try {
    const helper = new Worker(new URL("./node-start-helper.js", import.meta.url), { workerData: data });
    holder[slot] = helper;
    helper.unref();
    // A helper that has already failed is not adopted: the caller starts one of its own.
    helper.on("error", () => undefined);
    helper.once("exit", () => {
      if (holder[slot] === helper) holder[slot] = undefined;
    });
  } catch {
    holder[slot] = undefined;
  }
}

/**
 * The helper {@link startHelperEarly} started, now the caller's (post it its `StartHelperData`, and
 * listen for its end at once); undefined when none was started or it has already ended.
 *
 * @example
 * const helper = adoptEarlyHelper() ?? new Worker(helperUrl, { workerData: data });
 */
export function adoptEarlyHelper(): Worker | undefined {
  const helper = holder[slot];
  holder[slot] = undefined;
  return helper;
}

/**
 * Ends the early helper, if one was started and not adopted: the process runs no Python here.
 *
 * @example
 * endEarlyHelper(); // `python -m pip` runs on the host
 */
export function endEarlyHelper(): void {
  void adoptEarlyHelper()?.terminate();
}

/**
 * Where Python runs: on this (the main) thread when nothing needs another one, else in a worker.
 * A terminal on stdin needs the worker: the REPL's line editor and a ^C at `input()` are served by
 * this thread's event loop while Python waits. `KILN_PYTHON_THREAD=worker` (or `main`) chooses.
 *
 * @example
 * pythonThread(process.env); // "main" when stdin is not a terminal
 */
export function pythonThread(env: Record<string, string | undefined>): "main" | "worker" {
  const chosen = env.KILN_PYTHON_THREAD;
  if (chosen === "main" || chosen === "worker") return chosen;
  return isatty(0) ? "worker" : "main";
}
