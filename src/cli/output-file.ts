import { mkdir, stat, writeFile } from "../platform/node-fs-promises.js";
import { statSync } from "node:fs";
import { dirname } from "node:path";
import { KilnError } from "../core/index.js";

const hint = "Give a writable path: an existing directory, and a file name that is not a directory";

/** The file system's error as the reason, in words where the code is a common one. */
function reason(error: unknown, path: string): string {
  const code = (error as { code?: string })?.code;
  if (code === "EISDIR") return "it is a directory";
  if (code === "ENOENT") return `its directory does not exist (${dirname(path)})`;
  if (code === "ENOTDIR") return "a part of the path is not a directory";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return (error as Error)?.message ?? String(error);
}

/**
 * Writes a file a command was asked to produce (`-o`, `--report`, a downloaded wheel); a path that
 * cannot be written is an `outputUnwritable` error naming `what` and the path, not the file
 * system's bare EISDIR or ENOENT.
 *
 * @example
 * await writeOutputFile("/work/pylock.toml", text, "the lock file");
 */
export async function writeOutputFile(path: string, data: string | Uint8Array, what: string): Promise<void> {
  try {
    await writeFile(path, data);
  } catch (error) {
    throw new KilnError("outputUnwritable", `Cannot write ${what} "${path}": ${reason(error, path)}`, { hint, cause: error });
  }
}

/**
 * Creates an output directory (and its parents) when missing; one that is a file, or lies below
 * one, is an `outputUnwritable` error.
 *
 * @example
 * await ensureOutputDirectory("/work/wheels", "the download directory");
 */
export async function ensureOutputDirectory(path: string, what: string): Promise<void> {
  const existing = await stat(path).catch(() => undefined);
  if (existing !== undefined && !existing.isDirectory()) {
    throw new KilnError("outputUnwritable", `Cannot create ${what} "${path}": it is a file`, { hint });
  }
  try {
    await mkdir(path, { recursive: true });
  } catch (error) {
    throw new KilnError("outputUnwritable", `Cannot create ${what} "${path}": ${reason(error, path)}`, { hint, cause: error });
  }
}

/**
 * Checks, without creating anything, that an output directory can be made where it is asked for:
 * it is a directory already, or its nearest existing ancestor is one. A file there, or one in
 * its path, is an `outputUnwritable` error before any work (a build, a test run) is done.
 *
 * @example
 * checkOutputDirectory("/work/dist", "the output directory");
 */
export function checkOutputDirectory(path: string, what: string): void {
  for (let current = path; ; current = dirname(current)) {
    let existing: ReturnType<typeof statSync>;
    try {
      existing = statSync(current, { throwIfNoEntry: false });
    } catch {
      existing = undefined; // ENOTDIR: a file higher up, found on the next step
    }
    if (existing?.isDirectory()) return;
    if (existing !== undefined) {
      const where = current === path ? "it is a file" : `${current} is a file`;
      throw new KilnError("outputUnwritable", `Cannot create ${what} "${path}": ${where}`, { hint });
    }
    if (dirname(current) === current) return;
  }
}
