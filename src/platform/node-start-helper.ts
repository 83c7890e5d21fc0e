/**
 * The helper thread of a Python process that runs Python on the main thread (see
 * `runPythonProcess`): it prepares the start (reads and checks the memory snapshot, compiles the
 * wasm; see `prepareStart`) while the main thread loads Pyodide, hands both over, and then stays
 * to relay ^C (see `watchSigint`).
 */
import { parentPort, workerData } from "node:worker_threads";
import { compileAhead, prepareStart, type CompiledAhead, type OpenedSnapshot, type PreloadRequest, type RuntimeSpec, type StartupConfig } from "../runtime/index.js";
import type { EarlyStartHelperData } from "./node-early-start-helper.js";
import { keepWorkerCode } from "./node-code-cache.js";
import { createNodeRuntimeHost, type NodeRuntimeHost } from "./node-runtime-host.js";
import { postPreparedStart } from "./node-prepared-start.js";
import { watchSigint } from "./node-sigint-relay.js";

/** What the main thread hands the helper. */
export interface StartHelperData {
  /** Shared memory that each SIGINT stores 2 into. */
  interrupt: SharedArrayBuffer;
  startup: StartupConfig;
  runtime?: RuntimeSpec;
  /** The modules the process starts with imported, when it was asked to (see `PreloadRequest`). */
  preload?: PreloadRequest;
  /** `false`: compile without a start profile. */
  startProfiles?: false;
  /** The snapshot the main thread chose and opened: the helper fills its payload (see `openStartSnapshot`). */
  opened?: OpenedSnapshot;
  env: Record<string, string>;
  cwd: string;
}

/** The helper's first message: whether it watches SIGINT (then `postPreparedStart`'s follow). */
export interface StartHelperWatching {
  kind: "watching-sigint";
  watching: boolean;
}

// Started early (see `startHelperEarly`), the helper waits to be told what to prepare, compiling
// the bundled runtime meanwhile when that is what the process most likely runs.
const initial = workerData as StartHelperData | EarlyStartHelperData;
if ("early" in initial) {
  const ahead = initial.compileBundled ? compileBundledAhead() : undefined;
  parentPort!.once("message", (data: StartHelperData) => start(data, ahead));
} else start(initial);

function compileBundledAhead(): { host: NodeRuntimeHost; compiled: CompiledAhead } | undefined {
  try {
    const host = createNodeRuntimeHost({ env: process.env, cwd: process.cwd() });
    return { host, compiled: compileAhead(host) };
  } catch {
    return undefined;
  }
}

function start(data: StartHelperData, speculative?: { host: NodeRuntimeHost; compiled: CompiledAhead }): void {
  const watching = watchSigint(new Int32Array(data.interrupt));
  // Watching keeps this thread alive until the process ends; without, so does this timer: the main
  // thread takes the helper's end for a failure and stops waiting for what it has not yet sent.
  if (!watching) setInterval(() => undefined, 1 << 30);
  parentPort!.postMessage({ kind: "watching-sigint", watching } satisfies StartHelperWatching);
  let prepared: ReturnType<typeof prepareStart>;
  try {
    const host = createNodeRuntimeHost({ env: data.env, cwd: data.cwd, ...(data.startProfiles === false ? { startProfiles: false as const } : {}) });
    // What was compiled ahead fits a start of the bundled runtime, with a start profile, in the same cache.
    const fits = speculative && (data.runtime ?? { kind: "bundled" }).kind === "bundled" && data.startProfiles !== false && speculative.host.cacheDir === host.cacheDir;
    prepared = prepareStart(fits ? speculative.host : host, {
      ...(fits ? { ahead: speculative.compiled } : {}),
      startup: data.startup,
      ...(data.runtime ? { runtime: data.runtime } : {}),
      ...(data.preload ? { preload: data.preload } : {}),
      ...(data.opened ? { opened: data.opened } : {}),
    });
  } catch {
    // The main thread waits for every part: without a preparation it starts the usual way.
    prepared = { snapshot: Promise.resolve(undefined), wasmModule: Promise.resolve(undefined) };
  }
  postPreparedStart(parentPort!, prepared);
  // Run from the code cache (see startHelper), this thread's bundle keeps what it compiled once the
  // preparation is done, when the cache held none V8 took: never while the start waits for it.
  const done = [prepared.snapshot.then((ready) => ready?.verified), prepared.wasmModule, prepared.profile, prepared.profileIdentity];
  void Promise.allSettled(done).then(() => setImmediate(keepWorkerCode));
}
