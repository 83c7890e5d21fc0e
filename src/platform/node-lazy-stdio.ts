import { fstatSync, writeSync } from "node:fs";

/** How {@link lazyStdio} writes to a descriptor that is never a terminal, without a stream. */
export interface DirectWriter {
  /** Whether the descriptor is a pipe, a socket or a regular file (never a terminal). */
  isDirect(descriptor: number): boolean;
  /** Writes some of `bytes` at once, as write(2) does; returns how many. */
  write(descriptor: number, bytes: Uint8Array): number;
}

const nodeDirectWriter: DirectWriter = {
  isDirect(descriptor) {
    try {
      const stat = fstatSync(descriptor);
      return stat.isFIFO() || stat.isSocket() || stat.isFile();
    } catch {
      return false;
    }
  },
  write: (descriptor, bytes) => writeSync(descriptor, bytes),
};

const encoder = new TextEncoder();

/**
 * `process.stdout` or `process.stderr`, made when first used. Node builds each on first access as
 * a stream object (a socket for a pipe, with its stream modules: ~1.3 ms of CPU apiece), which a
 * quiet `kiln pip install` never writes to (nor asks whether they are terminals: see Output.color).
 * Every property (write, isTTY, columns, events) comes from the real stream, made on that first
 * use, with methods bound to it. Answering `isTTY` without the stream would need `node:tty`,
 * which loads the same socket modules. Identity differs (`lazyStdio(1) !== process.stdout`), so it is only for
 * commands that never compare them (kiln pip; not `kiln run`, whose child processes inherit the
 * real streams when it is given them).
 *
 * Except where the descriptor is a pipe, a socket or a regular file (a CI log, a benchmark's
 * pipe, a redirect: never a terminal, so `isTTY` is false without asking `node:tty`): there
 * `write(text)` writes the bytes at once with write(2) and no stream is made, as Node's own
 * stream does on Linux for these (synchronously; ~3 ms of a process that prints two warnings
 * to a pipe). A write the descriptor cannot take at once (`EAGAIN` on a non-blocking pipe that is
 * full), or fails (`EPIPE`), passes what is left to the real stream, which queues it or
 * reports the error as it always has; the order of bytes is kept, since nothing was queued before.
 *
 * @example
 * const streams = { stdout: lazyStdio(1), stderr: lazyStdio(2), env: process.env, cwd: process.cwd() };
 */
export function lazyStdio(
  descriptor: 1 | 2,
  make: () => NodeJS.WriteStream = () => (descriptor === 1 ? process.stdout : process.stderr),
  direct: DirectWriter = nodeDirectWriter,
): NodeJS.WriteStream {
  let stream: NodeJS.WriteStream | undefined;
  let directly: boolean | undefined;
  const real = () => (stream ??= make());
  const canWriteDirectly = () => stream === undefined && (directly ??= direct.isDirect(descriptor));
  const write = (chunk: unknown, ...rest: unknown[]): boolean => {
    if (!canWriteDirectly() || (typeof chunk !== "string" && !(chunk instanceof Uint8Array)) || rest.some((arg) => typeof arg === "string")) {
      return (real().write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }
    const left = writeAtOnce(direct, descriptor, typeof chunk === "string" ? encoder.encode(chunk) : chunk);
    const callback = rest.find((arg): arg is () => void => typeof arg === "function");
    if (left.length > 0) return real().write(left, callback);
    if (callback) process.nextTick(callback);
    return true;
  };
  return new Proxy({} as NodeJS.WriteStream, {
    get(_target, key) {
      if (key === "write") return write;
      if (key === "isTTY" && canWriteDirectly()) return false;
      const target = real();
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    set: (_target, key, value) => Reflect.set(real(), key, value),
    has: (_target, key) => Reflect.has(real(), key),
  });
}

/** Writes as much of `bytes` as the descriptor takes without waiting; returns the rest. */
function writeAtOnce(direct: DirectWriter, descriptor: number, bytes: Uint8Array): Uint8Array {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += direct.write(descriptor, offset === 0 ? bytes : bytes.subarray(offset));
    } catch {
      // EAGAIN, or an error (EPIPE) that the real stream reports the way it always has.
      break;
    }
  }
  return bytes.subarray(offset);
}
