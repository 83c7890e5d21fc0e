import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { formatRecord, parseRecord, type RecordRow } from "../archive/index.js";
import { silentReporter, type Reporter } from "../core/index.js";
import { compileModules, startRuntime, type VirtualEnvironment } from "../runtime/index.js";
import { kilnCacheFolders } from "./kiln-cache-folders.js";
import { createNodeRuntimeHost } from "./node-runtime-host.js";

/** Options for {@link compileInstalledBytecode}. */
export interface InstallBytecodeOptions {
  venv: VirtualEnvironment;
  /** The `.dist-info` directories of the distributions just installed (absolute). */
  distInfos: string[];
  /** kiln's cache directory, for compiled modules kept by source digest; none with `--no-cache`. */
  cacheDir?: string;
  env: Record<string, string | undefined>;
  cwd: string;
  reporter?: Reporter;
}

/** What {@link compileInstalledBytecode} did, in modules. */
export interface InstalledBytecode {
  /** Written from compiled code kept in kiln's cache. */
  fromCache: number;
  /** Compiled in the runtime. */
  compiled: number;
  /** Left to be compiled on import (they do not compile). */
  failed: string[];
}

/**
 * Byte-compiles the modules an install put into site-packages, as pip does by default, so that
 * even the first import (and every import when `PYTHONDONTWRITEBYTECODE` is set or the environment
 * is read-only) reads bytecode. Compiling on WebAssembly costs several times what it costs
 * natively, so the compiled code is kept in kiln's cache (`bytecode/`) by the digest of each
 * source file: a module installed again, into any environment of the same Python, gets its
 * `__pycache__` file from there with a header for its own file's time and size, and only modules
 * never seen before start a runtime. With `SOURCE_DATE_EPOCH` set, every module is compiled
 * (py_compile then writes checked-hash files, as pip would).
 *
 * @example
 * await compileInstalledBytecode({ venv, distInfos: installed.map((w) => w.distInfo), cacheDir, env: process.env, cwd: process.cwd() });
 */
export async function compileInstalledBytecode(options: InstallBytecodeOptions): Promise<InstalledBytecode> {
  const reporter = options.reporter ?? silentReporter;
  const tag = options.venv.config["kiln-cache-tag"] ?? `cpython-${options.venv.pythonVersion.split(".").slice(0, 2).join("")}`;
  const cache = options.cacheDir && !options.env.SOURCE_DATE_EPOCH ? join(options.cacheDir, kilnCacheFolders.bytecode, `${tag}-${options.venv.pythonVersion}`) : undefined;
  const result: InstalledBytecode = { fromCache: 0, compiled: 0, failed: [] };
  const missing: Array<{ source: string; digest?: string }> = [];
  const started = performance.now();
  const records = readRecords(options.distInfos);
  for (const source of records.flatMap(modulesOf)) {
    const reused = cache ? reuseCompiled(source, { cache, tag }) : undefined;
    if (reused === true) result.fromCache++;
    else missing.push({ source, ...(reused ? { digest: reused.digest } : {}) });
  }
  if (missing.length > 0) {
    const host = createNodeRuntimeHost({ env: options.env, cwd: options.cwd, ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}) });
    const runtime = await startRuntime(host, { runtime: options.venv.runtime, reporter });
    runtime.mountHostFileSystem(host);
    result.failed = compileModules(runtime, missing.map((entry) => entry.source));
    const failed = new Set(result.failed);
    result.compiled = missing.length - failed.size;
    if (cache) for (const entry of missing) if (entry.digest && !failed.has(entry.source)) keepCompiled(entry.source, { cache, tag, digest: entry.digest });
  }
  for (const record of records) recordBytecode(record, tag);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  reporter.debug(`Byte-compiled ${result.compiled} modules in ${seconds} s, ${result.fromCache} from kiln's cache, ${result.failed.length} left to compile on import`);
  return result;
}

/** An installed distribution's RECORD, as read before compiling. */
interface InstalledRecord {
  distInfo: string;
  rows: RecordRow[];
}

/** The RECORDs of the distributions; one that cannot be read or parsed is skipped (nothing to compile). */
function readRecords(distInfos: string[]): InstalledRecord[] {
  const records: InstalledRecord[] = [];
  for (const distInfo of distInfos) {
    try {
      records.push({ distInfo, rows: parseRecord(readFileSync(join(distInfo, "RECORD"), "utf8")) });
    } catch {
      continue;
    }
  }
  return records;
}

/** The `.py` files a RECORD lists inside its site-packages. */
function modulesOf(record: InstalledRecord): string[] {
  const root = dirname(record.distInfo);
  return record.rows
    .filter((row) => row.path.endsWith(".py") && !row.path.startsWith("/") && !row.path.split("/").includes(".."))
    .map((row) => join(root, row.path));
}

/**
 * Adds the `__pycache__` files now present for a distribution's modules to its RECORD, as pip
 * does (path only: RECORD's hash and size may be empty for files an installer generates), so that
 * `pip show --files` lists them and any uninstaller removes them.
 */
function recordBytecode(record: InstalledRecord, tag: string): void {
  const root = dirname(record.distInfo);
  const listed = new Set(record.rows.map((row) => row.path));
  const added: RecordRow[] = [];
  for (const source of modulesOf(record)) {
    const pyc = pycPathOf(source, tag);
    const path = relative(root, pyc).split(sep).join("/");
    if (!listed.has(path) && existsSync(pyc)) added.push({ path });
  }
  if (added.length === 0) return;
  try {
    writeAtomically(join(record.distInfo, "RECORD"), new TextEncoder().encode(formatRecord([...record.rows, ...added])));
  } catch {
    // Not recorded: uninstalling still removes a recorded module's __pycache__ files.
  }
}

/** The `__pycache__` file CPython reads for `source` (PEP 3147). */
function pycPathOf(source: string, tag: string): string {
  return join(dirname(source), "__pycache__", `${basename(source, ".py")}.${tag}.pyc`);
}

/** The cache's file for a source digest. */
function cachedPathOf(cache: string, digest: string): string {
  return join(cache, digest.slice(0, 2), `${digest}.pyc`);
}

/**
 * Writes `source`'s `__pycache__` file from compiled code kept for the same bytes: true when it
 * did; otherwise the source's digest (to keep what the runtime compiles), or undefined when the
 * source cannot be read.
 */
function reuseCompiled(source: string, context: { cache: string; tag: string }): true | { digest: string } | undefined {
  let data: Buffer;
  let stat: { mtimeMs: number; size: number };
  try {
    data = readFileSync(source);
    stat = statSync(source);
  } catch {
    return undefined;
  }
  const digest = createHash("sha256").update(data).digest("hex");
  let cached: Buffer;
  try {
    cached = readFileSync(cachedPathOf(context.cache, digest));
  } catch {
    return { digest };
  }
  // Only timestamp-validated files are kept: flags 0 (PEP 552), then the time and size fields.
  if (cached.length <= 16 || cached.readUInt32LE(4) !== 0) return { digest };
  const header = Buffer.alloc(16);
  cached.copy(header, 0, 0, 4);
  header.writeUInt32LE(Math.floor(stat.mtimeMs / 1000) >>> 0, 8);
  header.writeUInt32LE(stat.size >>> 0, 12);
  try {
    writeAtomically(pycPathOf(source, context.tag), Buffer.concat([header, cached.subarray(16)]));
  } catch {
    return { digest };
  }
  return true;
}

/** Keeps the runtime's compiled file for `source` under its digest (a best effort: the cache only speeds things up). */
function keepCompiled(source: string, context: { cache: string; tag: string; digest: string }): void {
  try {
    const pyc = readFileSync(pycPathOf(source, context.tag));
    if (pyc.length > 16 && pyc.readUInt32LE(4) === 0) writeAtomically(cachedPathOf(context.cache, context.digest), pyc);
  } catch {
    // Not kept: the next install compiles this module again.
  }
}

/** Writes through a temporary file and a rename, as CPython writes bytecode: readers see a whole file or none. */
function writeAtomically(path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(temporary, bytes);
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}
