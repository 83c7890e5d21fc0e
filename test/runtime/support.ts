import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
/** The built kiln entry point (tests run the built CLI, as a user would). */
export const kilnBin = join(repoRoot, "bin", "kiln.js");
/**
 * One cache for every end-to-end test run, kept between runs under .cache/ (gitignored), so
 * memory snapshots are built once per interpreter-option set rather than once per test.
 */
export const testCacheDir = join(repoRoot, ".cache", "kiln-test-cache");

/** The outcome of running a command. */
export interface Outcome {
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion and returns its status and output. */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; input?: string | Buffer; timeoutMs?: number } = {},
): Outcome {
  const result: SpawnSyncReturns<string> = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? baseEnv(),
    input: options.input ?? "",
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    timeout: options.timeoutMs ?? 120_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** The environment for child processes: the test's own, minus PYTHON* variables, with the test cache. */
export function baseEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith("PYTHON")) env[name] = value;
  return { ...env, KILN_CACHE_DIR: testCacheDir, ...extra };
}

/** Runs `kiln ARGS` with the built CLI. */
export function kiln(args: string[], options: Parameters<typeof runCommand>[2] = {}): Outcome {
  return runCommand(process.execPath, [kilnBin, ...args], options);
}

/** A fresh temporary directory holding `files` (relative path to content). */
// Every tree is removed when the test file's process exits (each file runs in its own process),
// so test runs do not leave directories behind in the temporary directory.
const trees: string[] = [];
process.once("exit", () => {
  for (const root of trees) rmSync(root, { recursive: true, force: true });
});

export function makeTree(files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), "kiln-test-"));
  trees.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}
