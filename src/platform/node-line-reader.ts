import { readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { createInterface, type Interface } from "node:readline";
import type { PythonCommandLine } from "../runtime/index.js";

const historySize = 1000;

/** One answer of {@link TerminalLineReader.read}. */
export type LineAnswer = { kind: "line"; line: string } | { kind: "eof" } | { kind: "interrupt" };

/**
 * The main thread's side of terminal input for Python in a worker: one Node readline interface
 * (line editing, history) kept for the whole process. Lines typed or pasted before Python asks
 * for them are queued, as a terminal's type-ahead is. The terminal is in raw mode while the
 * interface is open, so ^C arrives as a key: it calls `onInterrupt` (which raises KeyboardInterrupt
 * in Python; told whether Python waits at a prompt) and, at a prompt, also cancels the line. A ^C typed while Python runs, which Python
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
  private readonly onInterrupt: (atPrompt: boolean) => void;
  private readonly interruptPending: () => boolean;

  private readonly historyFile: string | undefined;
  private readonly loadedHistory: string[];

  /**
   * `historyFile`: the REPL's history file (CPython's `~/.python_history`, see
   * {@link replHistoryFile}), read now and rewritten on {@link close} when lines were added.
   */
  constructor(options: { onInterrupt: (atPrompt: boolean) => void; interruptPending?: () => boolean; historyFile?: string }) {
    this.onInterrupt = options.onInterrupt;
    this.interruptPending = options.interruptPending ?? (() => false);
    this.historyFile = options.historyFile;
    this.history = options.historyFile ? readHistory(options.historyFile) : [];
    this.loadedHistory = [...this.history];
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

  /**
   * Answers the pending request, if any, with an interrupt, as a ^C key does: for a SIGINT (a ^C
   * typed before the editor took the terminal, or another process's `kill -INT`).
   *
   * @example
   * process.on("SIGINT", () => reader.interrupt());
   */
  interrupt(): void {
    if (!this.waiting) return;
    if (this.rl) (this.rl as unknown as { line: string }).line = "";
    this.deliver({ kind: "interrupt" });
  }

  /** Restores the terminal; call when Python has finished. */
  close(): void {
    const rl = this.rl;
    this.rl = undefined;
    rl?.close();
    process.stdin.pause();
    if (this.historyFile && !sameLines(this.history, this.loadedHistory)) writeHistory(this.historyFile, this.history);
  }

  private open(): Interface {
    if (this.rl) return this.rl;
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true, history: this.history, historySize });
    rl.setPrompt("");
    rl.on("line", (line) => this.deliver({ kind: "line", line }));
    rl.on("SIGINT", () => {
      // Python sees the interrupt either way: input() as EINTR then KeyboardInterrupt, the REPL's
      // prompt as a cancelled line (it clears the interrupt itself).
      this.onInterrupt(this.waiting !== undefined);
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

/**
 * The history file of the interactive REPL, as CPython's `site.gethistoryfile()` finds it:
 * `PYTHON_HISTORY` (unless -E or -I), else `~/.python_history`; none when the REPL will not run
 * or `-S` leaves out the `site` hook that keeps the history.
 *
 * @example
 * replHistoryFile(parsePythonCommandLine([]), { HOME: "/home/me" }); // "/home/me/.python_history"
 */
export function replHistoryFile(commandLine: PythonCommandLine, env: Record<string, string | undefined>): string | undefined {
  const interactive = commandLine.inspect || (commandLine.main.kind === "stdin" && !commandLine.action);
  if (!interactive || commandLine.interpreterOptions.includes("-S")) return undefined;
  if (!commandLine.ignoreEnvironment && env.PYTHON_HISTORY) return env.PYTHON_HISTORY;
  return join(env.HOME || homedir(), ".python_history");
}

// Node's readline keeps the newest line first; the file, like GNU readline's, the oldest first.
function readHistory(file: string): string[] {
  try {
    return readFileSync(file, "utf8").split("\n").filter((line) => line !== "").reverse().slice(0, historySize);
  } catch {
    return [];
  }
}

function writeHistory(file: string, history: string[]): void {
  try {
    writeFileSync(file, history.slice(0, historySize).reverse().map((line) => `${line}\n`).join(""));
  } catch {
    // As CPython's site does, a history file that cannot be written is not an error.
  }
}

function sameLines(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((line, index) => line === b[index]);
}
