import { createInterface, type Interface } from "node:readline";

/** One answer of {@link TerminalLineReader.read}. */
export type LineAnswer = { kind: "line"; line: string } | { kind: "eof" } | { kind: "interrupt" };

/**
 * The main thread's side of terminal input for Python in a worker: one Node readline interface
 * (line editing, history) kept for the whole process. Lines typed or pasted before Python asks
 * for them are queued, as a terminal's type-ahead is. The terminal is in raw mode while the
 * interface is open, so ^C arrives as a key: it calls `onInterrupt` (which raises KeyboardInterrupt
 * in Python) and, at a prompt, also cancels the line. A ^C typed while Python runs, which Python
 * has not taken yet when it next asks for a line (`interruptPending`), answers that request at
 * once, as CPython raises KeyboardInterrupt before `input()` would block.
 *
 * @example
 * const reader = new TerminalLineReader({ onInterrupt: () => Atomics.store(buffer, 0, 2) });
 * const answer = await reader.read(">>> "); // { kind: "line", line: "1 + 1" }
 * reader.close();
 */
export class TerminalLineReader {
  private rl: Interface | undefined;
  private history: string[] = [];
  private readonly queued: LineAnswer[] = [];
  private waiting: ((answer: LineAnswer) => void) | undefined;
  private readonly onInterrupt: () => void;
  private readonly interruptPending: () => boolean;

  constructor(options: { onInterrupt: () => void; interruptPending?: () => boolean }) {
    this.onInterrupt = options.onInterrupt;
    this.interruptPending = options.interruptPending ?? (() => false);
  }

  read(prompt: string): Promise<LineAnswer> {
    const queued = this.queued.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.interruptPending()) return Promise.resolve({ kind: "interrupt" });
    const rl = this.open();
    return new Promise((resolve) => {
      this.waiting = resolve;
      rl.setPrompt(prompt);
      rl.prompt(true);
    });
  }

  /** Restores the terminal; call when Python has finished. */
  close(): void {
    const rl = this.rl;
    this.rl = undefined;
    rl?.close();
    process.stdin.pause();
  }

  private open(): Interface {
    if (this.rl) return this.rl;
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true, history: this.history, historySize: 1000 });
    rl.setPrompt("");
    rl.on("line", (line) => this.deliver({ kind: "line", line }));
    rl.on("SIGINT", () => {
      // Python sees the interrupt either way: input() as EINTR then KeyboardInterrupt, the REPL's
      // prompt as a cancelled line (it clears the interrupt itself).
      this.onInterrupt();
      if (this.waiting) {
        (rl as unknown as { line: string }).line = "";
        this.deliver({ kind: "interrupt" });
      }
    });
    rl.on("close", () => {
      this.history = [...(rl as unknown as { history: string[] }).history];
      if (this.rl === rl) this.rl = undefined;
      this.deliver({ kind: "eof" });
    });
    this.rl = rl;
    return rl;
  }

  private deliver(answer: LineAnswer): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    this.rl?.setPrompt("");
    if (waiting) waiting(answer);
    else if (answer.kind !== "interrupt" && this.rl) this.queued.push(answer);
  }
}
