import { accessSync, closeSync, constants, mkdirSync, openSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { compiledStdlibName, ensureCompiledStdlib, type RuntimeSpec } from "../runtime/index.js";
import { kilnCacheFolders } from "./kiln-cache-folders.js";
import { createNodeRuntimeHost, type NodeRuntimeHost } from "./node-runtime-host.js";

/** How long a run waits for another process compiling the same archive, and when its claim is stale. */
const waitMs = 120_000;
const staleClaimMs = 600_000;

/**
 * Before a Python process starts: byte-compiles its runtime build's standard library into kiln's
 * cache when the cache has none, as `kiln venv` does, so that `kiln run` outside an environment
 * (or in one whose archive a cache prune or a new kiln removed) does not compile every standard
 * module it imports on every run. Once per build and cache: the first run pays for it (several
 * seconds), before it builds its memory snapshot, so that snapshot is made for the compiled
 * archive and no second one is needed. Later runs pay one look at the archive (a few stat calls).
 * Concurrent first runs wait for the one that compiles (they would otherwise each write an archive
 * and each build a snapshot for their own). A cache kiln cannot write to is left alone (each run
 * would compile again for nothing); a failure only leaves runs compiling from source, as before.
 *
 * @example
 * await compileMissingStdlib({ env, cwd, runtime: { kind: "bundled" }, host });
 */
export async function compileMissingStdlib(options: { env: Record<string, string>; cwd: string; runtime?: RuntimeSpec; host?: NodeRuntimeHost }): Promise<void> {
  // The process's own host when given: the runtime is then located once for the whole start.
  const host = options.host ?? createNodeRuntimeHost({ env: options.env, cwd: options.cwd });
  const spec = options.runtime ?? { kind: "bundled" };
  try {
    const files = await host.locateRuntime(spec);
    if (files.stdlib) return;
    const directory = join(host.cacheDir, kilnCacheFolders.stdlib);
    mkdirSync(directory, { recursive: true });
    accessSync(directory, constants.W_OK);
    // A .tmp name: the store's own pruning and kiln cache prune treat it as a writer's file.
    const claim = join(directory, `${compiledStdlibName(files.buildIdentity)}.compiling.tmp`);
    if (!tryClaim(claim)) return await waitForRelease(claim);
    try {
      await ensureCompiledStdlib(host, { runtime: spec });
    } finally {
      rmSync(claim, { force: true });
    }
  } catch {
    // The run itself reports a runtime it cannot find; anything else only costs speed.
  }
}

/** Creates the claim file; a claim older than `staleClaimMs` (its process was killed) is taken over. */
function tryClaim(path: string, retry = true): boolean {
  try {
    closeSync(openSync(path, "wx"));
    return true;
  } catch {
    const age = Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (!retry || age < staleClaimMs) return false;
    rmSync(path, { force: true });
    return tryClaim(path, false);
  }
}

/** Waits until the claim is released (the archive written, or the compile given up), or `waitMs`. */
async function waitForRelease(claim: string): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline && statSync(claim, { throwIfNoEntry: false }) !== undefined) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
