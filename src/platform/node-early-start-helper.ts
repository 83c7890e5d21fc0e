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
 *
 * When Python will run in a worker (stdin is a terminal), the worker itself is started early
 * instead: its boot (a new isolate, Node, kiln's modules) and the import of Pyodide's JavaScript
 * (the 1.2 MB glue, compiled on that thread) then overlap the main thread's loading of kiln,
 * instead of following it. It waits for its `PythonWorkerData` the same way.
 */
import { existsSync } from "node:fs";
import { isatty } from "node:tty";
import { fileURLToPath } from "node:url";
import type { Worker } from "node:worker_threads";
import { startQuietWorker } from "./node-worker-stdio.js";

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
const workerSlot = Symbol.for("kiln.earlyPythonWorker");
const holder = globalThis as { [slot]?: Worker | undefined; [workerSlot]?: Worker | undefined };

/**
 * What an early Python worker is started with: it waits for its `PythonWorkerData`, importing
 * the bundled runtime's JavaScript meanwhile when `preloadBundled` (see `node-python-worker.ts`).
 */
export interface EarlyPythonWorkerData {
  early: true;
  preloadBundled: boolean;
}

/**
 * Starts the helper now when the process will most likely run Python on this thread (see
 * {@link pythonThread}), or the Python worker when it will run Python in one, unless it runs a
 * module kiln runs on the host (`-m pip`). `bundled`: the process most likely runs the bundled
 * runtime, which the helper then compiles while it waits, or whose JavaScript the worker imports
 * (not for `kiln test`'s preloaded processes, which compile without a start profile). A wrong
 * guess costs work on another core, nothing else: what is prepared is checked against what the
 * start needs, and the worker imports what the start asks for.
 *
 * @example
 * startHelperEarly({ args: process.argv.slice(3), env: process.env, bundled: true }); // in bin/kiln.js, for `kiln run`
 */
export function startHelperEarly(options: { args: string[]; env: Record<string, string | undefined>; bundled: boolean }): void {
  if (options.args[0] === "-m" && options.args[1] === "pip") return;
  const preloadBundled = options.bundled && !options.env.KILN_PRELOAD_MODULES;
  if (pythonThread(options.env) === "worker") {
    const data: EarlyPythonWorkerData = { early: true, preloadBundled };
    startEarly(workerSlot, startPythonWorker, data);
  } else {
    const data: EarlyStartHelperData = { early: true, compileBundled: preloadBundled };
    startEarly(slot, startHelper, data);
  }
}

/**
 * Starts the start helper thread with `workerData`: from its one-file CommonJS bundle through V8's
 * code cache when kiln runs from its bundle (see `runWorkerBundle`: a thread that loads ES
 * modules boots ~8 ms slower, and compiling the bundle took ~5 ms more), else from that bundle as
 * it is, or from its ES module (tsc's output, the tests' sources).
 *
 * @example
 * const helper = startHelper(data);
 */
export function startHelper(workerData: unknown): Worker {
  const bundled = new URL("./node-start-helper.cjs", import.meta.url);
  return startWorker({ bundled, runsAlone: true, module: new URL("./node-start-helper.js", import.meta.url), workerData });
}

/**
 * Starts the Python worker thread with `workerData`, as {@link startHelper} starts the helper: its
 * bundle, through the code cache, is kiln's run-time code compiled before Python's thread can
 * import Pyodide. Without the code cache, from its ES module (the bundle imports Pyodide through
 * the runner's `import()`, which code from a code cache cannot call on Node 20).
 *
 * @example
 * const worker = startPythonWorker(data);
 */
export function startPythonWorker(workerData: unknown): Worker {
  const bundled = new URL("./node-python-worker.cjs", import.meta.url);
  return startWorker({ bundled, runsAlone: false, module: new URL("./node-python-worker.js", import.meta.url), workerData });
}

function startWorker(options: { bundled: URL; runsAlone: boolean; module: URL; workerData: unknown }): Worker {
  const { bundled, workerData } = options;
  const runner = new URL("./node-code-cache.cjs", import.meta.url);
  // As codeCacheWanted says (not imported: it would bring the code cache's modules into this small
  // bundle); and not when Node is told its eval'd code is an ES module, which has no require().
  const inputType = [...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((option) => option.includes("--input-type"));
  const cached = !process.env.KILN_NO_CODE_CACHE && !inputType && existsSync(bundled) && existsSync(runner);
  if (cached) {
    return startQuietWorker(`require(${JSON.stringify(fileURLToPath(runner))}).runWorkerBundle(${JSON.stringify(fileURLToPath(bundled))});`, { eval: true, workerData });
  }
  return startQuietWorker(options.runsAlone && existsSync(bundled) ? bundled : options.module, { workerData });
}

function startEarly(key: typeof slot | typeof workerSlot, start: (workerData: unknown) => Worker, workerData: EarlyStartHelperData | EarlyPythonWorkerData): void {
  if (holder[key]) return;
  try {
    const worker = start(workerData);
    holder[key] = worker;
    worker.unref();
    // A thread that has already failed is not adopted: the caller starts one of its own.
    worker.on("error", () => undefined);
    worker.once("exit", () => {
      if (holder[key] === worker) holder[key] = undefined;
    });
  } catch {
    holder[key] = undefined;
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
 * The Python worker {@link startHelperEarly} started, now the caller's: post it its
 * `PythonWorkerData` (and `ref()` it, it was started unref'd); undefined when none was started or
 * it has already ended.
 *
 * @example
 * const worker = adoptEarlyPythonWorker() ?? new Worker(workerUrl, { workerData: data });
 */
export function adoptEarlyPythonWorker(): Worker | undefined {
  const worker = holder[workerSlot];
  holder[workerSlot] = undefined;
  return worker;
}

/**
 * Ends the early helper and Python worker, if either was started and not adopted: the process
 * runs no Python here (or not on the thread it was started for).
 *
 * @example
 * endEarlyHelper(); // `python -m pip` runs on the host
 */
export function endEarlyHelper(): void {
  void adoptEarlyHelper()?.terminate();
  void adoptEarlyPythonWorker()?.terminate();
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
