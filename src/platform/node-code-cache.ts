import { isAscii } from "node:buffer";
import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { Script } from "node:vm";
import { kilnCacheDir } from "./kiln-cache-dir.js";
import { readIdentifiedFile } from "./node-identified-file.js";
import { kilnCacheFolders } from "./kiln-cache-folders.js";
import { shortRunTieringFlags } from "./node-short-run-tiering.js";

// For bin/kiln.js, which loads this one CommonJS file before the CLI: kiln pip's lazily made stdout and stderr.
export { lazyStdio } from "./node-lazy-stdio.js";

/** Caches of other builds of kiln (or other Node versions) not written for this long are deleted when a cache is written. */
const staleMs = 7 * 86_400_000;

/** What the CLI's `runCli` takes besides its arguments. */
export interface CliStreams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** What {@link runWithCodeCache} did with the cache, for tests (`KILN_DEBUG_CODE_CACHE=1` prints it). */
export type CodeCacheOutcome = "used" | "written" | "rejected-and-written" | "damaged-and-written" | "not-written";

/**
 * Whether to run the CLI bundle through {@link runWithCodeCache}: unless `KILN_NO_CODE_CACHE` is set.
 *
 * @example
 * if (codeCacheWanted(process.env)) await runWithCodeCache({ bundle, argv, streams });
 */
export function codeCacheWanted(env: Record<string, string | undefined>): boolean {
  return env.KILN_NO_CODE_CACHE === undefined || env.KILN_NO_CODE_CACHE === "";
}

/**
 * Runs the CLI from its single-file CommonJS bundle with V8's code cache, the Node 20 stand-in for
 * Node 22's `module.enableCompileCache()`: a short command such as a warm `kiln pip install`
 * spends a sixth of its CPU compiling kiln's code, which the cache skips (top-level code and
 * every function the command ran before are deserialized instead of parsed and compiled).
 * `entry` names another function such a bundle exports, called the same way: a venv's Python
 * launcher runs `runVenvPython` from a bundle of its own.
 *
 * The cache is `<kiln cache>/code-cache-v1/<key>.bin`, the key a sha256 of the bundle file's
 * identity (`fileIdentity` in node-identified-file.ts: device, inode, size, modification and change times in ns), the
 * Node version, the architecture, the flags Node was started with, the V8 flags the command runs
 * with and the command itself ({@link codeCacheCommand}), so another build of kiln, another Node or a command with other flags
 * never reads it (V8 itself also refuses a cache of another V8 version or flags), and each command
 * finds the functions it runs compiled: a cache holds what the command that wrote it compiled.
 * The identity stands for the bundle's 1.2 MB of text, which every pip command used to hash
 * (~1.5 ms): a rebuilt or reinstalled bundle is a new file or a rewritten one, with new times.
 * `kiln pip …` runs with its own V8 flags ({@link commandV8Flags}), set before V8 checks the cache. The file starts with the sha256 of
 * the V8 data, checked before V8 sees it: a damaged file is refused and rewritten, never handed
 * to V8. It is written after the command has run (so it holds the functions the command
 * compiled), to a temporary name renamed into place, so processes writing at once leave a whole
 * file; a cache that cannot be read or written never fails the command.
 *
 * @example
 * process.exitCode = await runWithCodeCache({ bundle: "/pkg/dist/bundle/kiln-cli.cjs", argv: ["pip", "list"], streams });
 */
export async function runWithCodeCache(options: { bundle: string; argv: string[]; streams: CliStreams; entry?: string }): Promise<number> {
  const { bundle, streams } = options;
  const flags = commandV8Flags(options.argv);
  if (flags !== undefined) setFlagsFromString(flags);
  // The wrapper Node gives a CommonJS module, so the bundle runs as if required, plus the
  // `import()` of this ES module for the bundle's src/platform/import-module.ts (code from a code
  // cache cannot run `import()` itself on Node 20; the bundle has no other `import()`).
  const compiled = compileCached({ bundle, key: [flags ?? "", codeCacheCommand(options.argv)], env: streams.env, cwd: streams.cwd, parameters: "__kilnImport" });
  const module = { exports: {} as Record<string, ((argv: string[], streams: CliStreams) => Promise<number>) | undefined> };
  const importModule = (url: string) => import(url);
  compiled.run(module, importModule);
  const code = await module.exports[options.entry ?? "runCli"]!(options.argv, streams);
  const outcome = compiled.keep();
  if (streams.env.KILN_DEBUG_CODE_CACHE) streams.stderr.write(`kiln: code cache ${outcome}: ${compiled.path}\n`);
  return code;
}

// Where a worker's bundle run by runWorkerBundle leaves the function that writes its cache.
const keepWorkerCodeKey = Symbol.for("kiln.keepWorkerCode");

/**
 * Runs a worker thread's one-file CommonJS bundle through V8's code cache, as
 * {@link runWithCodeCache} runs the CLI's: the start helper, a thread on the path every warm start
 * waits for, spent ~5 ms more compiling its 400 KB bundle (parsing it before its first line, and
 * each function at its first call). The worker is started with `eval: true` and source that
 * requires this module's CommonJS bundle and calls this (see `startHelper`). The bundle writes
 * its cache, when it had none V8 took, by calling {@link keepWorkerCode} once it has done the
 * work the cache should hold.
 *
 * @example
 * new Worker(`require("/pkg/dist/bundle/node-code-cache.cjs").runWorkerBundle("/pkg/dist/bundle/node-start-helper.cjs")`, { eval: true, workerData });
 */
export function runWorkerBundle(bundle: string): void {
  // With the import() of this module, as for runWithCodeCache: the Python worker's bundle imports Pyodide.
  const compiled = compileCached({ bundle, key: ["worker"], env: process.env, cwd: process.cwd(), parameters: "__kilnImport" });
  (globalThis as Record<symbol, unknown>)[keepWorkerCodeKey] = () => {
    const outcome = compiled.keep();
    if (process.env.KILN_DEBUG_CODE_CACHE) writeSync(2, `kiln: worker code cache ${outcome}: ${compiled.path}\n`);
    return outcome;
  };
  compiled.run({ exports: {} }, (url: string) => import(url));
}

/**
 * In a worker bundle run by {@link runWorkerBundle}: writes its code cache now if it had none V8
 * took (after the work whose compiled functions the cache should hold); undefined elsewhere.
 *
 * @example
 * void prepared.then(() => keepWorkerCode());
 */
export function keepWorkerCode(): CodeCacheOutcome | undefined {
  const keep = (globalThis as Record<symbol, unknown>)[keepWorkerCodeKey] as (() => CodeCacheOutcome) | undefined;
  (globalThis as Record<symbol, unknown>)[keepWorkerCodeKey] = undefined;
  return keep?.();
}

/**
 * The bundle compiled from its cache when there is one V8 takes: `run` runs it as a CommonJS
 * module (with `parameters` passed after Node's five), `keep` writes the cache when there was
 * none V8 took, once, and says what it did. The key: Node's version, the architecture, the flags
 * Node was started with (V8 refuses a cache of other flags: a venv's launcher and `kiln` may run
 * the same bundle with different ones), the bundle's identity and `key`.
 */
function compileCached(options: { bundle: string; key: string[]; env: Record<string, string | undefined>; cwd: string; parameters: string }): {
  path: string;
  run: (module: { exports: object }, ...extra: unknown[]) => void;
  keep: () => CodeCacheOutcome;
} {
  const { bundle } = options;
  const { bytes, identity } = readIdentifiedFile(bundle);
  const source = decodeBundle(bytes);
  const key = createHash("sha256").update([process.version, process.arch, process.execArgv.join(" "), ...options.key, identity].join("\0")).digest("hex");
  const path = join(kilnCacheDir(options.env, { cwd: options.cwd }), kilnCacheFolders.codeCache, `${key}.bin`);
  const { data, damaged } = readCache(path);
  const parameters = ["exports", "require", "module", "__filename", "__dirname", ...(options.parameters ? [options.parameters] : [])].join(", ");
  const script = new Script(`(function (${parameters}) {${source}\n})`, { filename: bundle, ...(data ? { cachedData: data } : {}) });
  let kept: CodeCacheOutcome | undefined;
  return {
    path,
    run: (module, ...extra) => (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(bundle), module, bundle, dirname(bundle), ...extra),
    keep: () => {
      if (kept) return kept;
      kept = "used";
      if (!data || script.cachedDataRejected === true) {
        kept = writeCache(path, script.createCachedData()) ? (damaged ? "damaged-and-written" : data ? "rejected-and-written" : "written") : "not-written";
      }
      return kept;
    },
  };
}

/**
 * The command a code cache is kept for: `pip install` apart from `pip list` or `pip download`. A
 * cache written by `kiln pip download` (the first pip command of a fresh build, often) holds the
 * HTTP client but not the installer, whose functions every later install then compiled again:
 * ~10 ms of CPU per warm install of 31 wheels. Only plain words count, so arguments never name a cache.
 * `kiln run` has no subcommands: what follows it is Python's (a script named `setup`, say).
 *
 * @example
 * codeCacheCommand(["pip", "install", "-r", "requirements.txt"]); // "pip install"
 * codeCacheCommand(["pip", "--version"]); // "pip"
 * codeCacheCommand(["run", "build", "--fast"]); // "run"
 */
export function codeCacheCommand(argv: readonly string[]): string {
  if (argv[0] === "run") return "run";
  const words = [];
  for (const word of argv.slice(0, 2)) {
    if (!/^[a-z][a-z-]{0,31}$/.test(word)) break;
    words.push(word);
  }
  return words.join(" ");
}

/**
 * The V8 flags a command runs with from the bundle, or undefined for V8's defaults. `kiln pip`'s
 * commands are short (a warm install is ~0.1 s of CPU) with small heaps (~10–20 MB):
 * - V8 11's default tiering spent ~15 % of a warm install compiling code with the optimising
 *   compiler that ran too briefly to repay it ({@link shortRunTieringFlags});
 * - incremental marking, which V8 starts as the old generation grows, ended in a full collection
 *   run by a task the event loop waits for before the process can exit: ~5 ms of wall time and
 *   ~6 ms of CPU at the end of a warm install of 29 wheels, for memory about to be freed anyway.
 *   Without it V8 collects the old generation in one pause, and only if it fills up.
 *
 * @example
 * commandV8Flags(["pip", "install", "pytest"]); // "--interrupt-budget=1000000 --no-incremental-marking" on Node 20
 */
export function commandV8Flags(argv: readonly string[]): string | undefined {
  if (argv[0] !== "pip") return undefined;
  return [shortRunTieringFlags(), "--no-incremental-marking"].filter((flag) => flag !== undefined).join(" ");
}

/**
 * The bundle's text. The build writes it in ASCII (scripts/bundle.mjs), which decodes as Latin-1
 * straight into a one-byte string, about four times faster than UTF-8 decoding of its 1.2 MB
 * (~2 ms of every pip command); any other text is decoded as UTF-8.
 *
 * @example
 * decodeBundle(Buffer.from("exports.x = 1;")); // "exports.x = 1;"
 */
export function decodeBundle(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
}

/** The cached V8 data, when the file is there and whole (its first 32 bytes are the sha256 of the rest). */
function readCache(path: string): { data?: Buffer; damaged: boolean } {
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch {
    return { damaged: false };
  }
  const data = file.subarray(32);
  const whole = file.length > 32 && createHash("sha256").update(data).digest().equals(file.subarray(0, 32));
  return whole ? { data, damaged: false } : { damaged: true };
}

function writeCache(path: string, data: Buffer): boolean {
  const temporary = `${path}.${process.pid}.${randomUUID().slice(0, 8)}`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temporary, Buffer.concat([createHash("sha256").update(data).digest(), data]));
    renameSync(temporary, path);
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing was written (a cache directory that is a file: rm's lstat fails with ENOTDIR).
    }
    return false;
  }
  removeStale(dirname(path));
  return true;
}

/** Deletes caches (and temporary files of killed writers) last written more than a week ago: every build of kiln has its own. */
function removeStale(directory: string): void {
  const now = Date.now();
  for (const name of readdirSync(directory)) {
    const file = join(directory, name);
    try {
      if (now - statSync(file).mtimeMs > staleMs) rmSync(file, { force: true });
    } catch {
      // Another process removed it first.
    }
  }
}
