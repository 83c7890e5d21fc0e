/**
 * The worker thread that runs Python for `kiln run` and venv launchers. Python runs synchronously,
 * so it gets a thread of its own: the main thread stays free to turn Ctrl-C into
 * KeyboardInterrupt (through shared memory) and to serve the terminal.
 */
import { parentPort, workerData } from "node:worker_threads";
import { writeSync } from "node:fs";
import { isKilnError, type Reporter } from "../core/index.js";
import { runPythonMain, type PreparedStart, type PreparedStartPromises, type PythonMainRequest, type SnapshotRejection } from "../runtime/index.js";
import { createNodeRuntimeHost } from "./node-runtime-host.js";
import { NodeStdio } from "./node-stdio.js";

/** What the main thread hands the worker. */
export interface PythonWorkerData {
  request: Omit<PythonMainRequest, "interrupt" | "reporter" | "prepared">;
  interrupt: SharedArrayBuffer;
  /** Present when stdin is a terminal: the REPL reads lines through the main thread. */
  lines?: { control: SharedArrayBuffer; data: SharedArrayBuffer };
  cwd: string;
  env: Record<string, string>;
  /** The main thread sends a {@link PreparedMessage} of each kind (see `prepareStart`). */
  prepared?: boolean;
}

/**
 * The snapshot and compiled wasm, as the main thread prepared them while this worker booted.
 * With `verifying`, the snapshot's shared memory is still being read and checked: a
 * `prepared-verdict` follows.
 */
export type PreparedMessage =
  | { kind: "prepared-snapshot"; value: (Omit<PreparedStart, "wasmModule" | "verified"> & { verifying?: boolean }) | undefined }
  | { kind: "prepared-verdict"; rejection: SnapshotRejection | undefined }
  | { kind: "prepared-wasm"; module: unknown };

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
  const prepared = data.prepared ? receivePrepared() : undefined;
  const request = { ...data.request, interrupt: new Int32Array(data.interrupt), ...(reporter ? { reporter } : {}), ...(prepared ? { prepared } : {}) };
  const code = await runPythonMain(host, request);
  message = { kind: "exit", code };
} catch (error) {
  message = isKilnError(error)
    ? { kind: "error", error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) } }
    : { kind: "error", error: { code: "internal", message: error instanceof Error ? (error.stack ?? error.message) : String(error) } };
}
parentPort!.postMessage(message);

function receivePrepared(): PreparedStartPromises {
  let resolveSnapshot: (value: Omit<PreparedStart, "wasmModule"> | undefined) => void = () => undefined;
  let resolveModule: (module: unknown) => void = () => undefined;
  let resolveVerdict: (rejection: SnapshotRejection | undefined) => void = () => undefined;
  const snapshot = new Promise<Omit<PreparedStart, "wasmModule"> | undefined>((resolve) => (resolveSnapshot = resolve));
  const wasmModule = new Promise<unknown>((resolve) => (resolveModule = resolve));
  const verified = new Promise<SnapshotRejection | undefined>((resolve) => (resolveVerdict = resolve));
  let pending = 2;
  const listener = (message: PreparedMessage) => {
    if (message.kind === "prepared-snapshot") {
      const value = message.value;
      if (value?.verifying) pending += 1;
      resolveSnapshot(
        value && { buildIdentity: value.buildIdentity, key: value.key, ...(value.snapshot ? { snapshot: value.snapshot } : {}), ...(value.verifying ? { verified } : {}) },
      );
    } else if (message.kind === "prepared-verdict") resolveVerdict(message.rejection);
    else if (message.kind === "prepared-wasm") resolveModule(message.module);
    else return;
    // Both have come: stop listening, so the port does not keep this thread alive.
    if (--pending === 0) parentPort!.off("message", listener);
  };
  parentPort!.on("message", listener);
  return { snapshot, wasmModule };
}

/** KILN_DEBUG=1: what the runtime layer reports, with milliseconds since start, on stderr. */
function debugReporter(now: () => number): Reporter {
  const start = now();
  const line = (level: string, message: string) => writeSync(2, `kiln ${level} +${Math.round(now() - start)}ms: ${message}\n`);
  return {
    info: (message) => line("info", message),
    warn: (message) => line("warning", message),
    debug: (message) => line("debug", message),
    startTask: (label) => ({ advance() {}, finish: (message) => line("debug", `${label}: ${message ?? "done"}`) }),
  };
}
