import { spawnSync } from "node:child_process";

/** The host interpreter used for differential tests; `KILN_TEST_PYTHON` overrides. */
export const hostPython = process.env.KILN_TEST_PYTHON ?? "python3";

/**
 * Runs a Python program on the host that reads one JSON value from stdin and prints one JSON
 * value to stdout, and returns that value. Differential tests use it to ask `packaging` (or pip,
 * or uv) the same question kiln answers.
 *
 * @example
 * const sorted = runHostPython<string[]>(
 *   "import json, sys; from packaging.version import Version\n" +
 *   "print(json.dumps(sorted(json.load(sys.stdin), key=Version)))",
 *   ["1.0", "1.0a1"],
 * );
 */
export function runHostPython<T>(program: string, input: unknown, options: { timeoutMs?: number } = {}): T {
  const result = spawnSync(hostPython, ["-c", program], {
    input: JSON.stringify(input),
    encoding: "utf8",
    maxBuffer: 512 * 1024 * 1024,
    timeout: options.timeoutMs ?? 300_000,
  });
  if (result.error) throw new Error(`Cannot run host Python "${hostPython}": ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`Host Python exited with ${result.status}:\n${result.stderr.slice(-4000)}`);
  }
  return JSON.parse(result.stdout) as T;
}

/** The version of a host Python package, or undefined when it is not installed. */
export function hostPackageVersion(name: string): string | undefined {
  const result = spawnSync(hostPython, ["-c", `import importlib.metadata as m; print(m.version(${JSON.stringify(name)}))`], {
    encoding: "utf8",
  });
  return result.status === 0 ? result.stdout.trim() : undefined;
}
