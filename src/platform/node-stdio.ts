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

  read(fd: 0, buffer: Uint8Array): number {
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
