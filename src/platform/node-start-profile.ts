/**
 * Recording a runtime build's start profile (see `StartProfile` in src/runtime): one warm
 * `kiln run -c pass` in a child process with V8's compilation trace on, read back into the list of
 * functions a warm start compiles. Done once per build and cache directory, after the first run
 * that finds none; a failure only means the next starts compile lazily, as without a profile.
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { encodeStartProfile, parseWasmCompileTrace, startProfileName, type RuntimeSpec } from "../runtime/index.js";
import { kilnCacheFolders } from "./kiln-cache-folders.js";
import { startProfileStore } from "./node-runtime-host.js";
import { kilnEntryScript } from "./node-run-launcher.js";

/** Options for {@link recordStartProfile}. */
export interface RecordStartProfileOptions {
  cacheDir: string;
  /** What the profile is for (see `startProfileIdentity`); the child starts that same build. */
  identity: string;
  /** The snapshot the child is to restore (the run that asks used or built it). */
  snapshotName: string;
  runtime?: RuntimeSpec;
  /** The interpreter options of the run whose snapshot the child restores (its start-up configuration). */
  interpreterOptions: string[];
  env: Record<string, string>;
  /** Give up after this long (default 20 s). */
  timeoutMs?: number;
}

/**
 * Records and stores the profile; resolves to whether one was stored. Never rejects.
 *
 * @example
 * await recordStartProfile({ cacheDir, identity, snapshotName: snapshotName(key), interpreterOptions: [], env });
 */
export async function recordStartProfile(options: RecordStartProfileOptions): Promise<boolean> {
  try {
    return await record(options);
  } catch {
    return false; // an unwritable cache, a missing node: only the profile is lost
  }
}

async function record(options: RecordStartProfileOptions): Promise<boolean> {
  // Without the snapshot (it could not be saved) the child would start cold, and record nothing.
  if (!existsSync(join(options.cacheDir, kilnCacheFolders.snapshots, options.snapshotName))) return false;
  // The same interpreter options and environment as the run that asks, so that the child restores
  // the snapshot that run used or built (stdin is empty: with -i, the REPL ends at once).
  const env = { ...options.env, KILN_CACHE_DIR: options.cacheDir, KILN_START_PROFILE: "record", KILN_DEBUG: "1" };
  const runtimeArgs = options.runtime?.kind === "npm" ? ["--runtime", `pyodide@${options.runtime.version}`] : [];
  const args = ["--trace-wasm-compilation-times", kilnEntryScript, "run", ...runtimeArgs, ...options.interpreterOptions, "-c", "pass"];
  const outcome = await run(process.execPath, args, { env, timeoutMs: options.timeoutMs ?? 20_000, scratch: join(options.cacheDir, kilnCacheFolders.startProfiles) });
  // A cold start compiles other functions than a warm one: only a restore's trace is a profile.
  if (outcome.code !== 0 || !outcome.stderr.includes("from memory snapshot")) return false;
  // A trace this V8 prints in another format gives an empty profile: stored all the same, so that
  // later runs do not record again (they compile as without one).
  const profile = parseWasmCompileTrace(outcome.stdout, options.identity) ?? { buildIdentity: options.identity, baseline: [], optimized: [] };
  await startProfileStore(options.cacheDir).write(startProfileName(options.identity), encodeStartProfile(profile));
  return profile.baseline.length > 0;
}

/**
 * Runs the child with its stdout in a file: V8 prints its trace with C stdio, which drops what a
 * full pipe refuses once Node has made the pipe non-blocking.
 */
async function run(
  command: string,
  args: string[],
  options: { env: Record<string, string>; timeoutMs: number; scratch: string },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  mkdirSync(options.scratch, { recursive: true });
  const path = join(options.scratch, `trace.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  const fd = openSync(path, "w+");
  try {
    const outcome = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(command, args, { env: options.env, stdio: ["ignore", fd, "pipe"], timeout: options.timeoutMs });
      let stderr = "";
      child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      child.once("error", () => resolve({ code: null, stderr }));
      child.once("close", (code) => resolve({ code, stderr }));
    });
    return { ...outcome, stdout: readFileSync(path, "utf8") };
  } catch {
    return { code: null, stdout: "", stderr: "" };
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
}
