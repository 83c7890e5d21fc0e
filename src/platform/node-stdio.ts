import { closeSync, constants, fstatSync, openSync, readSync, writeSync } from "node:fs";
import { Socket, type SocketConstructorOpts } from "node:net";
import { isatty } from "node:tty";
import type { HostStdio } from "../runtime/index.js";
import { heldByAnotherProcess } from "./node-descriptor-holders.js";

const sleeper = new Int32Array(new SharedArrayBuffer(4));
// Kept for the process's life: a collected socket must never close descriptor 0.
const ownedSockets: Socket[] = [];

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
    if (this.socketInterrupt) this.takeSocket(this.socketInterrupt);
    if (this.interruptible) return this.readInterruptibly(this.interruptible, buffer);
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

  private interruptible: { fd: number; interrupt: Int32Array } | undefined;
  /** A socket on stdin: whether its reads can be interrupted is decided at the first read. */
  private socketInterrupt: Int32Array | undefined;

  /**
   * From now on, a read of a pipe or socket that has no data yet fails with EINTR once
   * `interrupt[0]` holds 2 (a ^C that Python has not taken), as CPython's read does at SIGINT:
   * Python then raises KeyboardInterrupt, or retries the read if its handler returns. On Linux,
   * when stdin is a pipe, a terminal, or a socket that no other process holds (Node's `spawn`
   * gives a socket for stdio "pipe"); elsewhere nothing changes (the read blocks until data or end
   * of file).
   * Returns whether stdin is such a pipe or socket.
   *
   * Python cannot be woken out of a blocking read (Node retries the read at a signal, and runs no
   * JavaScript on this thread meanwhile), and a read made for it on another thread could not be
   * called off: the process's exit waits for a pending read (measured: `process.exit` waited 5 s
   * for a worker's `fs.read` of a silent pipe). So stdin is read without blocking: a read with
   * data is the same single read(2) as before, bytes for bytes; one without waits on `interrupt`
   * (woken at once by a ^C, see `relaySigint`) for a pause of an eighth of its wait so far (50 µs
   * to 5 ms), then tries again. O_NONBLOCK is a flag of the open file, seen by every process that
   * shares it (a shell's next reader of the same pipe would fail with EAGAIN), so a pipe or a
   * terminal is opened a second time (`/proc/self/fd/0`: an open file of its own). A socket
   * cannot be: it is made
   * non-blocking only when no other process holds it (see {@link heldByAnotherProcess}; checked
   * at the first read, which a program that never reads stdin does not pay for), else its reads
   * block as before.
   *
   * @example
   * if (host.stdio instanceof NodeStdio) host.stdio.interruptReadsWith(interrupt);
   */
  interruptReadsWith(interrupt: Int32Array): boolean {
    if (this.lines || process.platform !== "linux") return false;
    try {
      const stat = fstatSync(0);
      if (stat.isSocket()) {
        this.socketInterrupt = interrupt;
        return true;
      }
      // A terminal read by Python on the main thread (KILN_PYTHON_THREAD=main) is opened again too.
      if (!stat.isFIFO() && !this.ttys[0]) return false;
      const fd = openSync("/proc/self/fd/0", constants.O_RDONLY | constants.O_NONBLOCK);
      if (this.interruptible) closeSync(this.interruptible.fd);
      this.interruptible = { fd, interrupt };
      return true;
    } catch {
      return false;
    }
  }

  /** Makes stdin, a socket, non-blocking when this process alone holds it (see {@link interruptReadsWith}). */
  private takeSocket(interrupt: Int32Array): void {
    this.socketInterrupt = undefined;
    if (heldByAnotherProcess(0)) return;
    try {
      // Node's own way to a non-blocking descriptor (uv_pipe_open/uv_tcp_open set O_NONBLOCK), as
      // process.stdin makes it; not reading (manualStart), never closed (that would close fd 0).
      ownedSockets.push(new Socket({ fd: 0, readable: true, writable: false, manualStart: true } as SocketConstructorOpts));
      this.interruptible = { fd: 0, interrupt };
    } catch {
      // A kind of socket Node does not wrap: reads block.
    }
  }

  private readInterruptibly(from: { fd: number; interrupt: Int32Array }, buffer: Uint8Array): number {
    let waited = 0;
    for (;;) {
      try {
        return readSync(from.fd, buffer, 0, buffer.length, null);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EOF" || code === "EBADF") return 0;
        if (code !== "EAGAIN") throw error;
      }
      // Only a read that would block is interrupted: one with data returns it, and Python takes
      // the ^C at its next check, as CPython does.
      if (Atomics.load(from.interrupt, 0) === 2) throw interrupted();
      // An eighth of the wait so far: data that comes after a wait is seen at most ~12% later
      // (a request/response protocol over the pipe keeps its pace), in at most 5 ms.
      const pause = Math.min(Math.max(waited / 8, 0.05), 5);
      if (Atomics.wait(from.interrupt, 0, 0, pause) === "not-equal" && Atomics.load(from.interrupt, 0) !== 2) {
        Atomics.wait(sleeper, 0, 0, pause);
      }
      if (Atomics.load(from.interrupt, 0) === 2) throw interrupted();
      waited += pause;
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
      if (line === false) throw interrupted();
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

/** What Pyodide turns into EINTR for Python's read (which then checks for a ^C). */
function interrupted(): Error {
  return Object.assign(new Error("interrupted"), { code: "EINTR" });
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
