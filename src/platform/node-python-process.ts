import { isatty } from "node:tty";
import { Worker } from "node:worker_threads";
import { KilnError, isKilnError, type ErrorCode } from "../core/index.js";
import {
  formatPythonUsageError,
  parsePythonCommandLine,
  prepareStart,
  sigintExitCode,
  snapshotName,
  startupConfigFor,
  type PreparedStart,
  type PreparedStartPromises,
  type ProcessVenv,
  type PythonCommandLine,
  type RuntimeSpec,
} from "../runtime/index.js";
import { hostModules } from "./node-host-modules.js";
import { kilnCacheDir } from "./kiln-cache-dir.js";
import { createNodeRuntimeHost, startProfilesWanted } from "./node-runtime-host.js";
import { replHistoryFile, TerminalLineReader } from "./node-line-reader.js";
import { answerLine, createLineBuffers } from "./node-stdio.js";
import type { PreparedMessage, PythonWorkerData, PythonWorkerMessage } from "./node-python-worker.js";

/** Options for {@link runPythonProcess}. */
export interface PythonProcessOptions {
  /** The arguments after the executable, as `python3` takes them. */
  args: string[];
  /** `sys.executable`: an executable file that runs this same Python. */
  executable: string;
  /** How the process was invoked, for `sys.orig_argv` (defaults to the executable). */
  invokedAs?: string[];
  runtime?: RuntimeSpec;
  venv?: ProcessVenv;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Writes CPython-style usage errors; process.stderr when absent. */
  stderr?: { write(text: string): unknown };
}

/**
 * Runs `python3 ARGS` on WASM as this process: Python in a worker thread, stdio on the process's
 * own file descriptors, Ctrl-C raising KeyboardInterrupt. Returns the exit status; an uncaught
 * KeyboardInterrupt ends the process by SIGINT, as CPython does.
 *
 * @example
 * process.exitCode = await runPythonProcess({ args: ["-c", "print(1)"], executable: launcherPath });
 */
export async function runPythonProcess(options: PythonProcessOptions): Promise<number> {
  const stderr = options.stderr ?? process.stderr;
  let commandLine: PythonCommandLine;
  try {
    commandLine = parsePythonCommandLine(options.args);
  } catch (error) {
    if (!isKilnError(error, "pythonUsage")) throw error;
    stderr.write(formatPythonUsageError(error.message, options.executable));
    return 2;
  }
  const handled = await runHostModule(commandLine, options);
  if (handled !== undefined) return handled;
  const { code, prepared } = await runInWorker(commandLine, options);
  if (code !== sigintExitCode) await recordMissingStartProfile(prepared, commandLine, options);
  if (code === sigintExitCode) {
    process.removeAllListeners("SIGINT");
    process.kill(process.pid, "SIGINT");
    return 130;
  }
  return code;
}

async function runHostModule(commandLine: PythonCommandLine, options: PythonProcessOptions): Promise<number | undefined> {
  if (commandLine.main.kind !== "module" || commandLine.action) return undefined;
  const handler = (await hostModules()).get(commandLine.main.value);
  if (handler === undefined) return undefined;
  return handler({
    args: commandLine.argv.slice(1),
    venv: options.venv,
    executable: options.executable,
    env: stringEnv(options.env ?? process.env),
    cwd: options.cwd ?? process.cwd(),
    stdout: process.stdout,
    stderr: options.stderr ?? process.stderr,
  });
}

async function runInWorker(commandLine: PythonCommandLine, options: PythonProcessOptions): Promise<{ code: number; prepared: PreparedStartPromises }> {
  const interrupt = new SharedArrayBuffer(4);
  const data: PythonWorkerData = {
    request: {
      commandLine,
      origArgv: [...(options.invokedAs ?? [options.executable]), ...options.args],
      executable: options.executable,
      ...(options.runtime ? { runtime: options.runtime } : {}),
      ...(options.venv ? { venv: options.venv } : {}),
    },
    interrupt,
    cwd: options.cwd ?? process.cwd(),
    env: stringEnv(options.env ?? process.env),
  };
  const lineBuffers = isatty(0) ? createLineBuffers() : undefined;
  if (lineBuffers) data.lines = lineBuffers;
  data.prepared = true;
  const worker = new Worker(new URL("./node-python-worker.js", import.meta.url), { workerData: data });
  const prepared = sendPreparedStart(worker, commandLine, { ...options, env: data.env, cwd: data.cwd });
  const interruptFlag = new Int32Array(interrupt);
  const onSigint = () => Atomics.store(interruptFlag, 0, 2);
  const interruptPending = () => Atomics.load(interruptFlag, 0) === 2;
  const historyFile = lineBuffers ? replHistoryFile(commandLine, options.env ?? process.env) : undefined;
  const reader = lineBuffers ? new TerminalLineReader({ onInterrupt: onSigint, interruptPending, ...(historyFile ? { historyFile } : {}) }) : undefined;
  worker.on("message", (message: PythonWorkerMessage) => {
    if (message.kind !== "readline" || !reader || !lineBuffers) return;
    const buffers = { control: new Int32Array(lineBuffers.control), data: new Uint8Array(lineBuffers.data) };
    void reader.read(message.prompt).then((answer) => answerLine(buffers, answer));
  });
  process.on("SIGINT", onSigint);
  const code = await new Promise<number>((resolve, reject) => {
    let settled = false;
    worker.on("message", (message: PythonWorkerMessage) => {
      if (message.kind === "readline") return;
      settled = true;
      if (message.kind === "exit") resolve(message.code);
      else reject(new KilnError(message.error.code as ErrorCode, message.error.message, message.error.hint ? { hint: message.error.hint } : {}));
      // Python has finished and flushed its output; tearing the worker's heap down only delays
      // the exit, so let the process end without waiting for it.
      worker.unref();
    });
    worker.once("error", (error) => {
      settled = true;
      reject(new KilnError("runtimeStart", `The Python worker failed: ${error.message}`, { cause: error }));
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new KilnError("runtimeStart", `The Python worker stopped with status ${code} before Python finished`));
    });
  }).finally(() => {
    process.off("SIGINT", onSigint);
    reader?.close();
  });
  return { code, prepared };
}

/**
 * After a run that found no start profile for its runtime build, records one (a second, warm
 * start in a child process, restoring the snapshot this run used or built; once per build and
 * cache directory), so that later starts compile ahead.
 */
async function recordMissingStartProfile(prepared: PreparedStartPromises, commandLine: PythonCommandLine, options: PythonProcessOptions): Promise<void> {
  const env = stringEnv(options.env ?? process.env);
  if (!startProfilesWanted(env) || !prepared.profile || (await prepared.profile) !== undefined) return;
  const identity = await prepared.profileIdentity;
  const ready = await prepared.snapshot;
  if (!identity || !ready) return;
  const { recordStartProfile } = await import("./node-start-profile.js");
  // ^C while recording ends the recording (the child gets it too), not this process's status.
  const ignore = () => undefined;
  process.on("SIGINT", ignore);
  try {
    await recordStartProfile({
      cacheDir: kilnCacheDir(env, { cwd: options.cwd ?? process.cwd() }),
      identity,
      snapshotName: snapshotName(ready.key),
      interpreterOptions: commandLine.interpreterOptions,
      env,
      ...(options.runtime ? { runtime: options.runtime } : {}),
    });
  } finally {
    process.off("SIGINT", ignore);
  }
}

/**
 * While the worker thread boots (a new V8 isolate, Node, kiln's modules, Pyodide's JavaScript), this
 * otherwise idle thread reads and checks the memory snapshot and compiles the wasm, and hands both
 * over: the snapshot's memory is moved, not copied, and the compiled module is shared.
 */
function sendPreparedStart(
  worker: Worker,
  commandLine: PythonCommandLine,
  options: PythonProcessOptions & { env: Record<string, string>; cwd: string },
): PreparedStartPromises {
  let prepared: PreparedStartPromises;
  try {
    const host = createNodeRuntimeHost({ env: options.env, cwd: options.cwd });
    prepared = prepareStart(host, {
      startup: startupConfigFor(commandLine, options.env),
      ...(options.runtime ? { runtime: options.runtime } : {}),
    });
  } catch {
    // The worker waits for both messages: without a preparation it starts the usual way.
    prepared = { snapshot: Promise.resolve(undefined), wasmModule: Promise.resolve(undefined) };
  }
  void prepared.snapshot.then((prepared) => {
    // The snapshot's memory is shared while it is still being read, else moved.
    const verified = prepared?.verified;
    const value: Omit<PreparedStart, "verified"> | undefined = prepared && { buildIdentity: prepared.buildIdentity, key: prepared.key, ...(prepared.snapshot ? { snapshot: prepared.snapshot } : {}) };
    const message: PreparedMessage = { kind: "prepared-snapshot", value: value && { ...value, verifying: verified !== undefined } };
    const buffer = value?.snapshot?.buffer;
    try {
      worker.postMessage(message, buffer instanceof ArrayBuffer ? [buffer] : []);
    } catch {
      worker.postMessage(message);
    }
    void verified?.then((rejection) => worker.postMessage({ kind: "prepared-verdict", rejection } satisfies PreparedMessage));
  });
  void prepared.wasmModule.then((module) => {
    const message: PreparedMessage = { kind: "prepared-wasm", module };
    try {
      worker.postMessage(message);
    } catch {
      worker.postMessage({ kind: "prepared-wasm", module: undefined } satisfies PreparedMessage);
    }
  });
  return prepared;
}

function stringEnv(env: Record<string, string | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) result[name] = value;
  return result;
}
