import { writeSync } from "node:fs";
import type { Reporter } from "../core/index.js";

/**
 * KILN_DEBUG=1 for a Python process: what the runtime layer reports, with milliseconds since
 * `now()` was first read, written synchronously to stderr (Python may hold the thread next).
 *
 * @example
 * const reporter = env.KILN_DEBUG ? debugReporter(() => performance.now()) : undefined;
 */
export function debugReporter(now: () => number): Reporter {
  const start = now();
  const line = (level: string, message: string) => writeSync(2, `kiln ${level} +${Math.round(now() - start)}ms: ${message}\n`);
  return {
    info: (message) => line("info", message),
    warn: (message) => line("warning", message),
    debug: (message) => line("debug", message),
    startTask: (label) => ({ advance() {}, finish: (message) => line("debug", `${label}: ${message ?? "done"}`) }),
  };
}
