import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The repository's root. */
export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** The built `kiln` the README tells users to run with npx. */
export const kilnBin = `${repoRoot}bin/kiln.js`;

/** What one `kiln` run printed and how it ended. */
export interface KilnRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built kiln as a user would, from `cwd`, with extra environment variables. The cache
 * stays the developer's (or CI's) own, so repeated runs are warm as they are for users.
 *
 * @example
 * const run = await runKiln(["test", "examples/sample-project"], { cwd: repoRoot });
 */
export function runKiln(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }): Promise<KilnRun> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, GITHUB_ACTIONS: "", GITHUB_STEP_SUMMARY: "", NO_COLOR: "1", ...options.env };
    const child = spawn(process.execPath, [kilnBin, ...args], { cwd: options.cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The counts of one row of `kiln test`'s summary table, by the row's runtime prefix. */
export function summaryRow(stdout: string, runtime: string): { passed: number; failed: number; skipped: number; errors: number; result: string } | undefined {
  const table = stdout.slice(stdout.lastIndexOf("kiln test summary"));
  const line = table.split("\n").find((row) => row.startsWith(runtime));
  const match = line && /\)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+[\d.]+s\s+(.*)$/.exec(line);
  if (!match) return undefined;
  return { passed: Number(match[1]), failed: Number(match[2]), skipped: Number(match[3]), errors: Number(match[4]), result: match[5]! };
}
