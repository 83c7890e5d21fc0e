/**
 * Watching SIGINT on a thread that Python does not block. Node delivers signals to JavaScript
 * only through the main thread's event loop (`process.on("SIGINT")`), which Python, running
 * synchronously there, holds. libuv itself hands a signal to every event loop that watches it, and
 * a worker has a loop of its own: there, the `signal_wrap` binding (deprecated as a public API,
 * still on Node's allow list) watches SIGINT as `process.on` does on the main thread.
 */

interface SignalHandle {
  onsignal: (signal: number) => void;
  start(signal: number): number;
  close(): void;
}

const sigint = 2;
// Kept referenced for the thread's life, whatever the collector thinks of a handle kiln holds no other way.
const handles: SignalHandle[] = [];

/**
 * Stores 2 into `interrupt[0]` at each SIGINT, from now on, on this thread's event loop, and ends
 * the process by SIGINT at a SIGINT that finds the one before still untaken (see
 * {@link relaySigint}); returns false when this Node offers no way to (then nothing is watched).
 * Meant for a worker thread: the main thread would see the signal only when Python lets go of it.
 * The main thread must not watch SIGINT meanwhile, or the process cannot die by it.
 *
 * @example
 * const watching = watchSigint(new Int32Array(workerData.interrupt));
 */
export function watchSigint(interrupt: Int32Array): boolean {
  const legacy = process as unknown as { binding?: (name: string) => { Signal?: new () => SignalHandle } };
  // The binding's deprecation warning concerns kiln's implementation, not the user's program.
  const quiet = process.noDeprecation;
  process.noDeprecation = true;
  try {
    const Signal = legacy.binding?.("signal_wrap").Signal;
    if (typeof Signal !== "function") return false;
    const handle = new Signal();
    handle.onsignal = () =>
      relaySigint(interrupt, () => {
        for (const watched of handles.splice(0)) watched.close();
      });
    handles.push(handle);
    return handle.start(sigint) === 0;
  } catch {
    return false;
  } finally {
    process.noDeprecation = quiet;
  }
}

/**
 * What a SIGINT does while Python runs (or is about to): stores 2 into `interrupt[0]`, which
 * raises KeyboardInterrupt at Python's next check. If the 2 of the SIGINT before is still there,
 * Python has not taken it (it is blocked reading, in a long call, or not started yet): this second
 * ^C ends the process by SIGINT, as a shell user expects, once `stopWatching` has put SIGINT's
 * default back (no listener may remain anywhere in the process).
 *
 * @example
 * process.on("SIGINT", function onSigint() { relaySigint(flag, () => process.off("SIGINT", onSigint)); });
 */
export function relaySigint(interrupt: Int32Array, stopWatching: () => void): void {
  if (Atomics.exchange(interrupt, 0, 2) !== 2) {
    // Wakes a read of a pipe or socket that waits for data or a ^C (see `NodeStdio.interruptReadsWith`).
    Atomics.notify(interrupt, 0);
    return;
  }
  stopWatching();
  process.kill(process.pid, "SIGINT");
}
