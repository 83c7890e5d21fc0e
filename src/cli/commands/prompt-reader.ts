/** Answers read from stdin one line at a time, for commands that ask. */
export interface PromptReader {
  /** The next line, or undefined once stdin has ended. */
  next(): Promise<string | undefined>;
  close(): void;
}

/**
 * Reads lines from a stream on demand (a terminal or a pipe alike); lines that arrive before they
 * are asked for wait in order, so several questions can be answered by one piped input. Nothing
 * is read, and node:readline is not loaded, until the first question: every pip command shares
 * this module's chunk, and only uninstall's prompt reads a line.
 *
 * @example
 * const prompt = promptReader(process.stdin);
 * const answer = await prompt.next(); // "y", or undefined at the end of input
 */
export function promptReader(input: NodeJS.ReadableStream): PromptReader {
  const lines: string[] = [];
  const waiting: Array<(line: string | undefined) => void> = [];
  let ended = false;
  let closed = false;
  let reader: { close(): void } | undefined;
  let started: Promise<void> | undefined;
  const start = () =>
    (started ??= import("node:readline").then(({ createInterface }) => {
      if (closed) return;
      const lineReader = createInterface({ input, terminal: false });
      reader = lineReader;
      lineReader.on("line", (line) => (waiting.length ? waiting.shift()!(line) : lines.push(line)));
      lineReader.on("close", () => {
        ended = true;
        for (const resolve of waiting.splice(0)) resolve(undefined);
      });
    }));
  return {
    next: async () => {
      await start();
      if (lines.length) return lines.shift();
      if (ended || closed) return undefined;
      return new Promise((resolve) => waiting.push(resolve));
    },
    close: () => {
      closed = true;
      reader?.close();
    },
  };
}
