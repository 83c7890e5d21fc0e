/**
 * The worker thread that runs Python for `kiln run` and venv launchers. Python runs synchronously,
 * so it gets a thread of its own: the main thread stays free to turn Ctrl-C into
 * KeyboardInterrupt (through shared memory) and to serve the terminal.
 */
import { parentPort, workerData } from "node:worker_threads";
import { isKilnError } from "../core/index.js";
import { runPythonMain, type PythonMainRequest } from "../runtime/index.js";
import { createNodeRuntimeHost } from "./node-runtime-host.js";
import { NodeStdio } from "./node-stdio.js";
import { keepWorkerCode } from "./node-code-cache.js";
import { debugReporter } from "./node-debug-reporter.js";
import type { EarlyPythonWorkerData } from "./node-early-start-helper.js";
import { receivePreparedStart } from "./node-prepared-start.js";
import { keepPendingSideModuleCode } from "./node-side-module-cache.js";

/** What the main thread hands the worker. */
export interface PythonWorkerData {
  request: Omit<PythonMainRequest, "interrupt" | "reporter" | "prepared">;
  interrupt: SharedArrayBuffer;
  /** Present when stdin is a terminal: the REPL reads lines through the main thread. */
  lines?: { control: SharedArrayBuffer; data: SharedArrayBuffer };
  cwd: string;
  env: Record<string, string>;
  /** The main thread hands over its preparation of the start (see `postPreparedStart`). */
  prepared?: boolean;
}

/** What the worker sends back once. */
export type PythonWorkerMessage =
  | { kind: "exit"; code: number }
  | { kind: "readline"; prompt: string }
  | { kind: "error"; error: { code: string; message: string; hint?: string } };

// Started early (see `startHelperEarly`), the worker waits to be told what to run, importing the
// bundled runtime's JavaScript meanwhile when that is what the process most likely runs.
const initial = workerData as PythonWorkerData | EarlyPythonWorkerData;
if ("early" in initial) {
  if (initial.preloadBundled) preloadBundledRuntime();
  parentPort!.once("message", (data: PythonWorkerData) => void run(data));
} else void run(initial);

/** Imports Pyodide's JavaScript of the bundled runtime (the start then finds it loaded); a failure only means it is imported later. */
function preloadBundledRuntime(): void {
  try {
    void createNodeRuntimeHost({ env: process.env, cwd: process.cwd() })
      .locateRuntime({ kind: "bundled" })
      .then((files) => files.preload?.())
      .catch(() => undefined);
  } catch {
    // No cache directory or runtime to guess from: the start locates it.
  }
}

async function run(data: PythonWorkerData): Promise<void> {
  let message: PythonWorkerMessage;
  try {
    const lines = data.lines
      ? { control: new Int32Array(data.lines.control), data: new Uint8Array(data.lines.data), post: (message: object) => parentPort!.postMessage(message) }
      : undefined;
    const stdio = new NodeStdio(lines ? { lines } : {});
    // The main thread relays ^C (see relaySigint): a read of a pipe takes it as on the main thread.
    if (!lines) stdio.interruptReadsWith(new Int32Array(data.interrupt));
    const host = createNodeRuntimeHost({ env: data.env, cwd: data.cwd, stdio });
    const reporter = data.env.KILN_DEBUG ? debugReporter(host.now) : undefined;
    const prepared = data.prepared ? receivePreparedStart(parentPort!) : undefined;
    const request = { ...data.request, interrupt: new Int32Array(data.interrupt), ...(reporter ? { reporter } : {}), ...(prepared ? { prepared } : {}) };
    const code = await runPythonMain(host, request);
    // The main thread ends the process without letting this thread exit (and emit "exit").
    keepPendingSideModuleCode();
    // Run from the code cache (see startPythonWorker): kept when there was none V8 took, now that
    // what a start compiles has been compiled.
    keepWorkerCode();
    message = { kind: "exit", code };
  } catch (error) {
    message = isKilnError(error)
      ? { kind: "error", error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) } }
      : { kind: "error", error: { code: "internal", message: error instanceof Error ? (error.stack ?? error.message) : String(error) } };
  }
  parentPort!.postMessage(message);
}
