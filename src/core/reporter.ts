/**
 * How library code tells the outside world what it is doing. The library never prints: the CLI
 * implements this with progress bars and colours, a browser page with its own widgets, tests with
 * an array.
 */
export interface Reporter {
  /** A one-line status message, such as "Resolving 12 packages". */
  info(message: string): void;
  /** Something the user should know that does not stop the work. */
  warn(message: string): void;
  /** Detail shown only when the user asks for it (`-v`). */
  debug(message: string): void;
  /** Starts a unit of work with a known or unknown size (bytes, files, packages). */
  startTask(label: string, total?: number): TaskReporter;
}

/** Progress of one unit of work started with {@link Reporter.startTask}. */
export interface TaskReporter {
  advance(amount: number): void;
  finish(message?: string): void;
}

const silentTask: TaskReporter = { advance() {}, finish() {} };

/**
 * A reporter that drops everything; the default for library calls.
 *
 * @example
 * await resolve(requirements, { reporter: silentReporter });
 */
export const silentReporter: Reporter = {
  info() {},
  warn() {},
  debug() {},
  startTask: () => silentTask,
};
