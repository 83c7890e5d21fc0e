import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * Starts a worker thread whose `process.stdout` and `process.stderr` reach this process's only
 * when it writes to them. A worker's default pipes them into this thread's `process.stdout` and
 * `process.stderr` at once, and Node makes those streams by putting descriptors 1 and 2, when
 * they are pipes or sockets, in non-blocking mode: a flag of the open file, shared with every
 * process writing to the same pipe (a shell's `{ kiln run … & other; } | cat`: the other writer
 * then fails with EAGAIN). kiln's threads write their output with `fs.writeSync` (Python's through
 * NodeStdio, the debug reporter), so the streams are made only for what Node itself writes there
 * (a warning, say).
 *
 * @example
 * const helper = startQuietWorker(new URL("./node-start-helper.js", import.meta.url), { workerData });
 */
export function startQuietWorker(url: URL | string, options: WorkerOptions): Worker {
  const worker = new Worker(url, { ...options, stdout: true, stderr: true });
  worker.stdout.on("data", (chunk: Buffer) => process.stdout.write(chunk));
  worker.stderr.on("data", (chunk: Buffer) => process.stderr.write(chunk));
  return worker;
}
