import type { Reporter, TaskReporter } from "../../core/index.js";
import type { Output } from "../output.js";

/** Options for {@link pipReporter}. */
export interface PipReporterOptions {
  /** -q count minus -v count (see `quietness`). */
  quietness: number;
  env: Record<string, string | undefined>;
  /** Milliseconds between progress redraws; default 80. */
  redrawMs?: number;
}

/**
 * The CLI's {@link Reporter} for `kiln pip`: on a terminal (stderr a TTY, `CI` unset), one live
 * progress line per running task, redrawn in place; otherwise plain lines only when a task
 * finishes, so logs stay readable. `-q` hides status lines, `-qq` warnings too; `-v` shows debug
 * lines.
 *
 * @example
 * const reporter = pipReporter(context.output, { quietness: quietness(context), env: context.env });
 */
export function pipReporter(output: Output, options: PipReporterOptions): Reporter {
  // Whether stderr is a terminal is asked last: asking makes Node build the stream (see Output.color).
  const live = !isCi(options.env) && options.quietness <= 0 && options.env.TERM !== "dumb" && Boolean(output.stderr.isTTY);
  const redrawMs = options.redrawMs ?? 80;
  const tasks = new Set<LiveTask>();
  let drawn = false;
  let lastDraw = 0;
  const clear = () => {
    if (drawn) output.stderr.write("\r\u001b[2K");
    drawn = false;
  };
  const draw = (force: boolean) => {
    const now = Date.now();
    if (!live || (!force && now - lastDraw < redrawMs)) return;
    lastDraw = now;
    clear();
    const task = [...tasks].at(-1);
    if (!task) return;
    output.stderr.write(progressLine(task, columns(output)));
    drawn = true;
  };
  const print = (text: string) => {
    clear();
    output.stderr.write(`${text}\n`);
    draw(true);
  };
  return {
    info: (message) => {
      if (options.quietness <= 0) print(message);
    },
    warn: (message) => {
      if (options.quietness <= 1) print(`${output.paint("yellow", output.paint("bold", "warning"))}: ${message}`);
    },
    debug: (message) => {
      if (options.quietness < 0) print(output.paint("dim", message));
    },
    startTask(label, total): TaskReporter {
      const task: LiveTask = { label, total, done: 0 };
      tasks.add(task);
      draw(true);
      return {
        advance(amount) {
          task.done += amount;
          draw(false);
        },
        finish(message) {
          tasks.delete(task);
          clear();
          if (message && options.quietness <= 0) output.stderr.write(`${message}\n`);
          draw(true);
        },
      };
    },
  };
}

interface LiveTask {
  label: string;
  total: number | undefined;
  done: number;
}

function progressLine(task: LiveTask, width: number): string {
  // Downloads count bytes; other tasks (installing, resolving) count items.
  const format = /download/i.test(task.label) ? size : String;
  const amount = task.total ? `${format(task.done)}/${format(task.total)}` : format(task.done);
  if (!task.total) return `${task.label} ${amount}`.slice(0, width - 1);
  const barWidth = Math.max(10, Math.min(40, width - task.label.length - amount.length - 6));
  const filled = Math.min(barWidth, Math.round((task.done / task.total) * barWidth));
  return `${task.label} [${"=".repeat(filled)}${" ".repeat(barWidth - filled)}] ${amount}`.slice(0, width - 1);
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function columns(output: Output): number {
  const value = (output.stderr as { columns?: number }).columns;
  return typeof value === "number" && value > 20 ? value : 80;
}

/** CI services set `CI` (GitHub Actions, GitLab, Buildkite, …); `CI=false` or `0` means not. */
function isCi(env: Record<string, string | undefined>): boolean {
  const value = env.CI?.toLowerCase();
  return value !== undefined && value !== "" && value !== "false" && value !== "0";
}
