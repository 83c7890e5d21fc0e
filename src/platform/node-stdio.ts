import { readSync, writeSync } from "node:fs";
import { isatty } from "node:tty";
import type { HostStdio } from "../runtime/index.js";

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * The process's own file descriptors 0, 1 and 2, read and written synchronously (Python blocks
 * on them as CPython does). A descriptor that Node made non-blocking answers EAGAIN; then this
 * waits a moment and tries again rather than failing.
 *
 * @example
 * runtime.connectStdio(new NodeStdio());
 */
export class NodeStdio implements HostStdio {
  private readonly ttys = [isatty(0), isatty(1), isatty(2)];
  private readonly lines: LineChannel | undefined;

  /** `lines`: how a worker thread asks the main thread's {@link TerminalLineReader} for a line. */
  constructor(options: { lines?: LineChannel } = {}) {
    this.lines = options.lines;
    if (this.lines) this.readline = (prompt) => requestLine(this.lines!, prompt);
  }

  readline?: (prompt: string) => string | undefined | false;

  read(fd: 0, buffer: Uint8Array): number {
    if (this.lines) return this.readTerminalLine(buffer);
    for (;;) {
      try {
        return readSync(fd, buffer, 0, buffer.length, null);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EAGAIN") {
          Atomics.wait(sleeper, 0, 0, 5);
          continue;
        }
        if (code === "EOF" || code === "EBADF") return 0;
        throw error;
      }
    }
  }

  // A terminal is read by the main thread's line editor, a line at a time, so that input() gets
  // line editing and ^C while waiting for input raises KeyboardInterrupt (EINTR, then the
  // interrupt the main thread has set).
  private pendingInput: Uint8Array = new Uint8Array(0);

  private readTerminalLine(buffer: Uint8Array): number {
    if (this.pendingInput.length === 0) {
      const line = requestLine(this.lines!, "");
      if (line === undefined) return 0;
      if (line === false) throw Object.assign(new Error("interrupted"), { code: "EINTR" });
      this.pendingInput = new TextEncoder().encode(`${line}\n`);
    }
    const count = Math.min(buffer.length, this.pendingInput.length);
    buffer.set(this.pendingInput.subarray(0, count));
    this.pendingInput = this.pendingInput.subarray(count);
    return count;
  }

  write(fd: 1 | 2, buffer: Uint8Array): number {
    let written = 0;
    while (written < buffer.length) {
      try {
        written += writeSync(fd, buffer, written, buffer.length - written);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
        Atomics.wait(sleeper, 0, 0, 1);
      }
    }
    return written;
  }

  isatty(fd: 0 | 1 | 2): boolean {
    return this.ttys[fd]!;
  }
}

/**
 * Shared memory and a message port through which a worker blocks for a line read on the main
 * thread: `control[0]` is 0 while waiting, then 1 (a line of `control[1]` UTF-8 bytes in `data`),
 * 2 (end of input) or 3 (^C).
 */
export interface LineChannel {
  control: Int32Array;
  data: Uint8Array;
  post(message: { kind: "readline"; prompt: string }): void;
}

/** Creates the shared memory of a {@link LineChannel} (the port is added by each side). */
export function createLineBuffers(): { control: SharedArrayBuffer; data: SharedArrayBuffer } {
  return { control: new SharedArrayBuffer(8), data: new SharedArrayBuffer(1 << 20) };
}

function requestLine(channel: LineChannel, prompt: string): string | undefined | false {
  Atomics.store(channel.control, 0, 0);
  channel.post({ kind: "readline", prompt });
  Atomics.wait(channel.control, 0, 0);
  const state = Atomics.load(channel.control, 0);
  if (state === 2) return undefined;
  if (state === 3) return false;
  return new TextDecoder().decode(channel.data.slice(0, channel.control[1]!));
}

/** The main thread's answer to a line request: writes it and wakes the worker. */
export function answerLine(
  buffers: { control: Int32Array; data: Uint8Array },
  answer: { kind: "line"; line: string } | { kind: "eof" } | { kind: "interrupt" },
): void {
  if (answer.kind === "line") {
    const { written } = new TextEncoder().encodeInto(answer.line, buffers.data);
    buffers.control[1] = written;
  }
  Atomics.store(buffers.control, 0, answer.kind === "line" ? 1 : answer.kind === "eof" ? 2 : 3);
  Atomics.notify(buffers.control, 0);
}
