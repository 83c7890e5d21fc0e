import { createInterface } from "node:readline";

/** Answers read from stdin one line at a time, for commands that ask. */
export interface PromptReader {
  /** The next line, or undefined once stdin has ended. */
  next(): Promise<string | undefined>;
  close(): void;
}

/**
 * Reads lines from a stream on demand (a terminal or a pipe alike); lines that arrive before they
 * are asked for wait in order, so several questions can be answered by one piped input.
 *
 * @example
 * const prompt = promptReader(process.stdin);
 * const answer = await prompt.next(); // "y", or undefined at the end of input
 */
export function promptReader(input: NodeJS.ReadableStream): PromptReader {
  const lines: string[] = [];
  const waiting: Array<(line: string | undefined) => void> = [];
  let ended = false;
  const reader = createInterface({ input, terminal: false });
  reader.on("line", (line) => (waiting.length ? waiting.shift()!(line) : lines.push(line)));
  reader.on("close", () => {
    ended = true;
    for (const resolve of waiting.splice(0)) resolve(undefined);
  });
  return {
    next: () => {
      if (lines.length) return Promise.resolve(lines.shift());
      if (ended) return Promise.resolve(undefined);
      return new Promise((resolve) => waiting.push(resolve));
    },
    close: () => reader.close(),
  };
}
