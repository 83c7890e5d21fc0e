import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { hostPython } from "../support/host-python.js";

/** The pip release the differential tests compare kiln pip with (pinned: its output changes between releases). */
export const hostPipVersion = "26.3";

const cacheRoot = fileURLToPath(new URL("../../.cache", import.meta.url));

/**
 * A directory (in .cache/) holding pip {@link hostPipVersion}, installed on first use with the
 * host's pip (`--target`, so no ensurepip is needed); {@link hostPip} runs it.
 *
 * @example
 * const directory = hostPipDirectory(); // ".cache/host-pip-target-26.3"
 */
export function hostPipDirectory(): string {
  const home = join(cacheRoot, `host-pip-target-${hostPipVersion}`);
  const ready = join(home, "kiln-ready");
  if (existsSync(ready)) return home;
  // A half-made one from an interrupted run is made again.
  rmSync(home, { recursive: true, force: true });
  mkdirSync(home, { recursive: true });
  run(hostPython, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--target", home, `pip==${hostPipVersion}`]);
  writeFileSync(ready, `${hostPipVersion}\n`);
  return home;
}

/**
 * An empty host venv (no pip inside) for the host pip to work on with `--python`, as kiln pip
 * works on a kiln venv.
 *
 * @example
 * const prefix = hostTargetVenv("/tmp/x/h");
 */
export function hostTargetVenv(prefix: string): string {
  run(hostPython, ["-m", "venv", "--without-pip", prefix]);
  return prefix;
}

/** Runs the pinned host pip on the venv at `prefix`, with no user or site configuration. */
export function hostPip(prefix: string, args: string[], options: { cwd: string; input?: string }): { code: number; stdout: string; stderr: string } {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith("PIP_")) env[key] = value;
  // Run as a directory (pip's __main__ supports it), not through PYTHONPATH: pip --python passes
  // its environment on to the target's interpreter, which would then list pip as installed.
  const result = spawnSync(hostPython, [join(hostPipDirectory(), "pip"), "--python", join(prefix, "bin", "python"), "--disable-pip-version-check", ...args], {
    cwd: options.cwd,
    encoding: "utf8",
    input: options.input ?? "",
    env: { ...env, PIP_CONFIG_FILE: "/dev/null" },
    timeout: 300_000,
  });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: 300_000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}:\n${result.stderr}`);
}
