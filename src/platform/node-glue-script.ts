/**
 * Pyodide's glue in script form (see `glueScriptSource`) compiled through V8's code cache, kept
 * beside it in kiln's cache. The cache is written after a start has run the glue (so it holds the
 * functions the start compiled lazily too, not only the top-level code) and only when there was
 * none this process could use: missing, damaged, of another script file, Node, architecture or
 * V8 flags, or refused by V8 itself.
 *
 * The file is a 4-byte CRC-32 of what follows, a 32-byte sha256 of the key (the script file's
 * identity, Node's version, the architecture, the flags Node was started with and
 * `NODE_OPTIONS`), and V8's data; whatever does not check out is never handed to V8. It is
 * written to a temporary name and renamed into place, so processes writing at once leave a whole
 * file.
 */
import { isAscii } from "node:buffer";
import { createHash } from "node:crypto";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { Script } from "node:vm";
import { crc32 } from "node:zlib";
import { readIdentifiedFile } from "./node-identified-file.js";

/** The format of the cache file; part of every key. */
const glueCodeFormat = 1;

/** What {@link loadGlueScript} found in the cache (`KILN_DEBUG` prints it). */
export type GlueCodeOutcome = "used" | "missing" | "damaged" | "other-key" | "refused-by-v8";

/** A glue loaded by {@link loadGlueScript}. */
export interface LoadedGlueScript {
  /** What the script returned: Emscripten's module factory. */
  factory: unknown;
  outcome: GlueCodeOutcome;
  /** Writes the cache when the load found none it could use; call after the glue has run. Never throws; true when written. */
  keepCompiledCode(): boolean;
}

/**
 * Compiles and runs the glue script at `scriptPath` (from the code cache at `codePath` when it
 * holds one for this script and process), passing it `importer` for its dynamic imports. Throws
 * when the script cannot be read, compiled or run.
 *
 * @example
 * const glue = loadGlueScript({ scriptPath, codePath, importer: (url) => import(url) });
 * const pyodide = await loadPyodide({ createPyodideModule: glue.factory });
 * glue.keepCompiledCode();
 */
export function loadGlueScript(options: { scriptPath: string; codePath: string; importer: (url: string) => Promise<unknown> }): LoadedGlueScript {
  const { text, identity } = readScript(options.scriptPath);
  const key = createHash("sha256")
    .update([glueCodeFormat, identity, process.version, process.arch, process.execArgv.join(" "), process.env.NODE_OPTIONS ?? ""].join("\0"))
    .digest();
  const cached = readGlueCode(options.codePath, key);
  const script = new Script(text, { filename: options.scriptPath, ...(cached.data ? { cachedData: cached.data } : {}) });
  const outcome: GlueCodeOutcome = cached.data && script.cachedDataRejected === true ? "refused-by-v8" : cached.outcome;
  const factory = (script.runInThisContext() as (importer: (url: string) => Promise<unknown>) => unknown)(options.importer);
  let kept = outcome === "used";
  return {
    factory,
    outcome,
    keepCompiledCode: () => {
      if (kept) return false;
      kept = true;
      try {
        return writeGlueCode(options.codePath, key, script.createCachedData());
      } catch {
        return false;
      }
    },
  };
}

/** The script's text and what identifies its content, from one descriptor. */
function readScript(path: string): { text: string; identity: string } {
  const { bytes, identity } = readIdentifiedFile(path);
  // Latin-1 makes a one-byte string straight away; only text with other characters needs UTF-8.
  return { text: isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8"), identity };
}

const headerBytes = 4 + 32;

function readGlueCode(path: string, key: Buffer): { data?: Buffer; outcome: GlueCodeOutcome } {
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch {
    return { outcome: "missing" };
  }
  if (file.length <= headerBytes || crc32(file.subarray(4)) !== file.readUInt32LE(0)) return { outcome: "damaged" };
  if (!file.subarray(4, headerBytes).equals(key)) return { outcome: "other-key" };
  return { data: file.subarray(headerBytes), outcome: "used" };
}

function writeGlueCode(path: string, key: Buffer, data: Buffer): boolean {
  const file = Buffer.alloc(headerBytes + data.length);
  key.copy(file, 4);
  data.copy(file, headerBytes);
  file.writeUInt32LE(crc32(file.subarray(4)), 0);
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(temporary, file);
    renameSync(temporary, path);
    return true;
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing was written (a cache directory that is a file).
    }
    return false;
  }
}
