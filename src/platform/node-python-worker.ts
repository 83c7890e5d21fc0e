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
import { debugReporter } from "./node-debug-reporter.js";
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

const data = workerData as PythonWorkerData;
let message: PythonWorkerMessage;
try {
  const lines = data.lines
    ? { control: new Int32Array(data.lines.control), data: new Uint8Array(data.lines.data), post: (message: object) => parentPort!.postMessage(message) }
    : undefined;
  const host = createNodeRuntimeHost({ env: data.env, cwd: data.cwd, ...(lines ? { stdio: new NodeStdio({ lines }) } : {}) });
  const reporter = data.env.KILN_DEBUG ? debugReporter(host.now) : undefined;
  const prepared = data.prepared ? receivePreparedStart(parentPort!) : undefined;
  const request = { ...data.request, interrupt: new Int32Array(data.interrupt), ...(reporter ? { reporter } : {}), ...(prepared ? { prepared } : {}) };
  const code = await runPythonMain(host, request);
  // The main thread ends the process without letting this thread exit (and emit "exit").
  keepPendingSideModuleCode();
  message = { kind: "exit", code };
} catch (error) {
  message = isKilnError(error)
    ? { kind: "error", error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) } }
    : { kind: "error", error: { code: "internal", message: error instanceof Error ? (error.stack ?? error.message) : String(error) } };
}
parentPort!.postMessage(message);
