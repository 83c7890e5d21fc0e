import { join } from "node:path";
import { isatty } from "node:tty";
import type { Worker } from "node:worker_threads";
import { KilnError, isKilnError, type ErrorCode } from "../core/index.js";
import {
  decodeStartProfile,
  formatPythonUsageError,
  openStartSnapshot,
  parsePythonCommandLine,
  preparedWithOpenedSnapshot,
  prepareStart,
  preloadRequestFor,
  runPythonMain,
  sigintExitCode,
  snapshotName,
  startProfileName,
  startupConfigFor,
  type PreparedStart,
  type PreloadRequest,
  type PreparedStartPromises,
  type ProcessVenv,
  type PythonCommandLine,
  type RuntimeSpec,
} from "../runtime/index.js";
import { definedEnv } from "./defined-env.js";
import { hostModules } from "./node-host-modules.js";
import { createNodeRuntimeHost, startProfilesWanted, startProfileStore, type NodeRuntimeHost } from "./node-runtime-host.js";
import { hasWasmCode, wasmCodeCacheWanted, writeWasmCode } from "./node-wasm-code-cache.js";
import { compileMissingStdlib } from "./node-run-stdlib.js";
import { replHistoryFile, TerminalLineReader } from "./node-line-reader.js";
import { answerLine, createLineBuffers, NodeStdio } from "./node-stdio.js";
import { debugReporter } from "./node-debug-reporter.js";
import { adoptEarlyHelper, adoptEarlyPythonWorker, endEarlyHelper, pythonThread, startHelper, startPythonWorker } from "./node-early-start-helper.js";
import type { PythonWorkerData, PythonWorkerMessage } from "./node-python-worker.js";
import { postPreparedStart, receivePreparedStart } from "./node-prepared-start.js";
import type { StartHelperData, StartHelperWatching } from "./node-start-helper.js";
import { relaySigint } from "./node-sigint-relay.js";

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
 * Runs `python3 ARGS` on WASM as this process: Python on this thread, or in a worker when stdin is
 * a terminal (see {@link pythonThread}), stdio on the process's own file descriptors, Ctrl-C
 * raising KeyboardInterrupt. Returns the exit status; an uncaught
 * KeyboardInterrupt ends the process by SIGINT, as CPython does.
 *
 * @example
 * process.exitCode = await runPythonProcess({ args: ["-c", "print(1)"], executable: launcherPath });
 */
export async function runPythonProcess(options: PythonProcessOptions): Promise<number> {
  let commandLine: PythonCommandLine;
  try {
    commandLine = parsePythonCommandLine(options.args);
  } catch (error) {
    endEarlyHelper();
    if (!isKilnError(error, "pythonUsage")) throw error;
    // process.stderr only now: made, it puts a pipe on descriptor 2 in non-blocking mode (see lazyStdio).
    (options.stderr ?? process.stderr).write(formatPythonUsageError(error.message, options.executable));
    return 2;
  }
  const handled = await runHostModule(commandLine, options);
  if (handled !== undefined) {
    endEarlyHelper();
    return handled;
  }
  const start = processStart(commandLine, options);
  // Also with -B or PYTHONDONTWRITEBYTECODE: the compiled standard library is the runtime's
  // installation (CPython's installed standard library comes with its .pyc files whatever either
  // says), kept in kiln's cache; the process itself then writes no __pycache__.
  await compileMissingStdlib({ env: start.env, cwd: start.cwd, host: start.host, ...(options.runtime ? { runtime: options.runtime } : {}) });
  const onMainThread = pythonThread(options.env ?? process.env) === "main";
  let outcome: { code: number; prepared: ProfileState };
  try {
    outcome = onMainThread ? await runOnMainThread(commandLine, options, start) : await runInWorker(commandLine, options, start);
  } catch (error) {
    // A failed run must not stay alive either: see below (seen: a crash after Python's start hung).
    if (onMainThread) setTimeout(() => process.exit(), 0).unref();
    throw error;
  }
  const { code, prepared } = outcome;
  if (code !== sigintExitCode && !start.preload) await recordMissingStartCaches(prepared, commandLine, { ...options, start });
  if (code === sigintExitCode) {
    process.removeAllListeners("SIGINT");
    process.kill(process.pid, "SIGINT");
    return 130;
  }
  // Python has finished, as a worker's end does: whatever it left scheduled on this thread's event
  // loop (an asyncio timer, say) must not keep the process alive. Unref'd: it fires only if
  // something still holds the loop once the caller has set the exit status.
  if (onMainThread) setTimeout(() => process.exit(), 0).unref();
  return code;
}

/** What both ways of running Python share: one runtime host (the runtime located once), the environment and the preload. */
interface ProcessStart {
  /** The process's environment, without kiln's own {@link preloadVariable}. */
  env: Record<string, string>;
  cwd: string;
  host: NodeRuntimeHost;
  preload: PreloadRequest | undefined;
}

function processStart(commandLine: PythonCommandLine, options: PythonProcessOptions): ProcessStart {
  const env = definedEnv(options.env ?? process.env);
  const cwd = options.cwd ?? process.cwd();
  const preload = preloadOf(commandLine, { venv: options.venv, env, cwd });
  delete env[preloadVariable];
  // A preloaded start restores a snapshot past pytest's import and runs for a second or more: the
  // start profile (functions a bare warm start compiles, compiled ahead, the hottest optimized at
  // once) then only adds compile work beside Python's own on a 2-core machine (same-run, loaded:
  // 0.1 s less CPU and wall without it).
  return { env, cwd, host: createNodeRuntimeHost({ env, cwd, ...(preload ? { startProfiles: false as const } : {}) }), preload };
}

/**
 * Runs Python on this thread. A helper thread prepares the start meanwhile (the snapshot read and
 * checked, the wasm compiled: see `node-start-helper.ts`) and then relays ^C, which Python's
 * holding this thread would otherwise keep waiting. This saves a worker running Python: its Node
 * environment, kiln's and Pyodide's modules loaded a second time, and the terminal streams.
 */
async function runOnMainThread(commandLine: PythonCommandLine, options: PythonProcessOptions, start: ProcessStart): Promise<{ code: number; prepared: ProfileState }> {
  const interrupt = new Int32Array(new SharedArrayBuffer(4));
  // Until the helper watches, this thread does; then only the helper, so that a second ^C can end
  // the process by SIGINT (see relaySigint).
  const onSigint = () => relaySigint(interrupt, () => process.off("SIGINT", onSigint));
  process.on("SIGINT", onSigint);
  const { env, cwd, preload, host } = start;
  const startup = startupConfigFor(commandLine, env);
  const runtime = options.runtime ? { runtime: options.runtime } : {};
  // The snapshot's header is read here, so that Pyodide starts without waiting for the helper to
  // boot; the helper fills its payload.
  const opened = await openStartSnapshot(host, { startup, ...runtime, ...(preload ? { preload } : {}) }).catch(() => undefined);
  const data: StartHelperData = {
    interrupt: interrupt.buffer as SharedArrayBuffer,
    startup,
    ...runtime,
    ...(preload ? { preload, startProfiles: false as const } : {}),
    ...(opened ? { opened } : {}),
    env,
    cwd,
  };
  // The helper started with the process (see startHelperEarly) when there is one.
  const early = adoptEarlyHelper();
  const helper = early ?? startHelper(data);
  if (early) helper.postMessage(data);
  helper.unref();
  const received = receivePreparedStart(helper);
  const reporter = env.KILN_DEBUG ? debugReporter(host.now) : undefined;
  if (reporter) void received.wasmFromCodeCache.then((used) => used && reporter.debug("The runtime's wasm: V8's compiled code from the cache"));
  const prepared = opened ? preparedWithOpenedSnapshot(host, received, opened) : received;
  const watching = new Promise<boolean>((resolve) => {
    helper.on("message", (message: StartHelperWatching | object) => {
      if ("kind" in message && message.kind === "watching-sigint") resolve((message as StartHelperWatching).watching);
    });
    // A helper that fails leaves the start to be done without it (the usual way, from scratch),
    // and relays no ^C.
    const ended = () => {
      received.abandon();
      resolve(false);
    };
    helper.once("error", ended);
    helper.once("exit", ended);
  }).then((relayed) => {
    // Watching: the helper relays. Not (no relay on this Node): ^C then ends the process
    // (SIGINT's default) rather than waiting, unseen, until Python is done.
    process.off("SIGINT", onSigint);
    // Relayed, a ^C while Python waits for a pipe raises KeyboardInterrupt there, as in CPython.
    if (relayed && host.stdio instanceof NodeStdio) host.stdio.interruptReadsWith(interrupt);
  });
  try {
    const code = await runPythonMain(host, {
      commandLine,
      origArgv: [...(options.invokedAs ?? [options.executable]), ...options.args],
      executable: options.executable,
      ...(options.runtime ? { runtime: options.runtime } : {}),
      ...(options.venv ? { venv: options.venv } : {}),
      interrupt,
      prepared,
      runAfter: watching,
      ...(preload ? { preload } : {}),
      ...(reporter ? { reporter } : {}),
    });
    // To die by SIGINT, no thread may still be watching it.
    if (code === sigintExitCode) await helper.terminate();
    return { code, prepared };
  } catch (error) {
    // A start that failed (a runtime that cannot be fetched, say) leaves the helper preparing or
    // relaying for a Python that never runs; its port would keep this process alive.
    await helper.terminate();
    throw error;
  } finally {
    process.off("SIGINT", onSigint);
  }
}

async function runHostModule(commandLine: PythonCommandLine, options: PythonProcessOptions): Promise<number | undefined> {
  if (commandLine.main.kind !== "module" || commandLine.action) return undefined;
  const handler = (await hostModules()).get(commandLine.main.value);
  if (handler === undefined) return undefined;
  return handler({
    args: commandLine.argv.slice(1),
    venv: options.venv,
    executable: options.executable,
    env: definedEnv(options.env ?? process.env),
    cwd: options.cwd ?? process.cwd(),
    stdout: process.stdout,
    stderr: options.stderr ?? process.stderr,
  });
}

/**
 * Set by `kiln test` for its environment's processes: modules (comma-separated) to start with
 * imported, from a preload snapshot (see `PreloadRequest`). kiln's own; Python never sees it.
 */
const preloadVariable = "KILN_PRELOAD_MODULES";

function preloadOf(commandLine: PythonCommandLine, context: { venv: ProcessVenv | undefined; env: Record<string, string>; cwd: string }): PreloadRequest | undefined {
  const modules = (context.env[preloadVariable] ?? "").split(",").filter((name) => /^[\w.]+$/.test(name));
  if (!modules.length || !context.venv || commandLine.action) return undefined;
  const env = { ...context.env };
  delete env[preloadVariable];
  return preloadRequestFor(commandLine, { modules, venv: context.venv, env, cwd: context.cwd });
}

async function runInWorker(commandLine: PythonCommandLine, options: PythonProcessOptions, start: ProcessStart): Promise<{ code: number; prepared: ProfileState }> {
  const interrupt = new SharedArrayBuffer(4);
  const { env, cwd, preload } = start;
  const data: PythonWorkerData = {
    request: {
      commandLine,
      origArgv: [...(options.invokedAs ?? [options.executable]), ...options.args],
      executable: options.executable,
      ...(options.runtime ? { runtime: options.runtime } : {}),
      ...(options.venv ? { venv: options.venv } : {}),
      ...(preload ? { preload } : {}),
    },
    interrupt,
    cwd,
    env,
  };
  const lineBuffers = isatty(0) ? createLineBuffers() : undefined;
  if (lineBuffers) data.lines = lineBuffers;
  data.prepared = true;
  // The worker started with the process (see startHelperEarly) when there is one.
  const early = adoptEarlyPythonWorker();
  const worker = early ?? startPythonWorker(data);
  if (early) {
    early.ref();
    early.postMessage(data);
    if (env.KILN_DEBUG) debugReporter(start.host.now).debug("Python runs in the worker started with the process");
  }
  const prepared = sendPreparedStart(worker, commandLine, { ...options, host: start.host, env: data.env, ...(preload ? { preload } : {}) });
  const interruptFlag = new Int32Array(interrupt);
  let reader: TerminalLineReader | undefined;
  // Ending the process by SIGINT (see relaySigint) gives the terminal back first. A ^C typed
  // before the line editor took the terminal (it comes as a signal) while Python has just asked
  // for a line answers that request, as the key would: Python waits on the line, not on the
  // interrupt.
  const onSigint = () => {
    relaySigint(interruptFlag, () => {
      process.off("SIGINT", onSigint);
      reader?.close();
    });
    reader?.interrupt();
  };
  const interruptPending = () => Atomics.load(interruptFlag, 0) === 2;
  const historyFile = lineBuffers ? replHistoryFile(commandLine, options.env ?? process.env) : undefined;
  // The line editor turns ^C into a key. At a prompt it cancels the line, as often as typed (the
  // REPL takes each); while Python runs it is the signal it stands for.
  const onInterrupt = (atPrompt: boolean) => (atPrompt ? Atomics.store(interruptFlag, 0, 2) : onSigint());
  reader = lineBuffers ? new TerminalLineReader({ onInterrupt, interruptPending, ...(historyFile ? { historyFile } : {}) }) : undefined;
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
  return { code, prepared: { ...prepared, profileFound: (prepared.profile ?? Promise.resolve(undefined)).then((profile) => profile !== undefined) } };
}

/** What {@link recordMissingStartCaches} needs to know of a run's preparation. */
type ProfileState = Pick<PreparedStartPromises, "snapshot" | "profileIdentity"> & { profileFound: Promise<boolean> };

/**
 * After a run that found no start profile for its runtime build, records one (a second, warm
 * start in a child process, restoring the snapshot this run used or built; once per build and
 * cache directory), so that later starts compile ahead; then, when the build has a profile but no
 * cached wasm code, writes that (see `writeWasmCode`), so that later starts compile nothing.
 */
async function recordMissingStartCaches(prepared: ProfileState, commandLine: PythonCommandLine, options: PythonProcessOptions & { start: ProcessStart }): Promise<void> {
  const env = options.start.env;
  if (!startProfilesWanted(env)) return;
  const found = await prepared.profileFound;
  const identity = await prepared.profileIdentity;
  if (!identity) return;
  const cacheDir = options.start.host.cacheDir;
  if (!found && !(await recordMissingStartProfile(prepared, commandLine, { ...options, identity }))) return;
  if (!wasmCodeCacheWanted(env) || hasWasmCode(cacheDir, identity)) return;
  const bytes = await startProfileStore(cacheDir).read(startProfileName(identity));
  const profile = bytes && decodeStartProfile(bytes, identity);
  if (!profile || profile.baseline.length === 0) return;
  const files = await options.start.host.locateRuntime(options.runtime ?? { kind: "bundled" });
  await whileIgnoringSigint(() => writeWasmCode({ cacheDir, wasmPath: join(files.indexURL, "pyodide.asm.wasm"), profile, env }));
}

async function recordMissingStartProfile(prepared: ProfileState, commandLine: PythonCommandLine, options: PythonProcessOptions & { start: ProcessStart; identity: string }): Promise<boolean> {
  const ready = await prepared.snapshot;
  if (!ready) return false;
  const { recordStartProfile } = await import("./node-start-profile.js");
  return whileIgnoringSigint(() =>
    recordStartProfile({
      cacheDir: options.start.host.cacheDir,
      identity: options.identity,
      snapshotName: snapshotName(ready.key),
      interpreterOptions: commandLine.interpreterOptions,
      env: options.start.env,
      ...(options.runtime ? { runtime: options.runtime } : {}),
    }),
  );
}

/** ^C while a child records or writes a cache ends that child (it gets the signal too), not this process's status. */
async function whileIgnoringSigint<T>(work: () => Promise<T>): Promise<T> {
  const ignore = () => undefined;
  process.on("SIGINT", ignore);
  try {
    return await work();
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
  options: PythonProcessOptions & { host: NodeRuntimeHost; env: Record<string, string>; preload?: PreloadRequest },
): PreparedStartPromises {
  let prepared: PreparedStartPromises;
  try {
    prepared = prepareStart(options.host, {
      startup: startupConfigFor(commandLine, options.env),
      ...(options.runtime ? { runtime: options.runtime } : {}),
      ...(options.preload ? { preload: options.preload } : {}),
    });
  } catch {
    // The worker waits for both messages: without a preparation it starts the usual way.
    prepared = { snapshot: Promise.resolve(undefined), wasmModule: Promise.resolve(undefined) };
  }
  postPreparedStart(worker, prepared);
  return prepared;
}
