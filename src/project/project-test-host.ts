import type { RuntimeSpec, VirtualEnvironment } from "../runtime/index.js";
import type { DirectoryEntry } from "./project-source-key.js";

/** A runtime's environment, ready for installing into. */
export interface TestEnvironment {
  venv: VirtualEnvironment;
  /** `pyodide@314.0.7 (CPython 3.14.2)`, for the log and the summary. */
  label: string;
}

/** One package of a resolution, as far as caching needs to know it. */
export interface TestPackage {
  /** Normalized name. */
  name: string;
  version: string;
  /** What names the exact file installed: the wheel's file name and digest (and URL when given as one). */
  identity: string;
}

/** The resolved test requirements of one environment, ready to install. */
export interface TestResolution {
  packages: TestPackage[];
}

/**
 * Directories kept in kiln's cache under a key: written once, atomically, then only read (a
 * reader copies what it needs, it never writes into an entry).
 */
export interface DirectoryCache {
  /** The entry's directory, or undefined when there is none. */
  find(key: string): Promise<string | undefined>;
  /**
   * Makes an entry: `populate` fills a new directory, which then becomes the entry under `key`
   * in one step (a concurrent writer's finished entry wins). Returns the entry's directory.
   */
  store(key: string, populate: (directory: string) => Promise<void>): Promise<string>;
}

/**
 * What `kiln test` needs from the machine: files, the build and install workflows, fresh
 * environments and running a command with live output. `src/platform/node-project-test-host.ts`
 * implements it for Node; tests can implement it in memory.
 */
export interface ProjectTestHost {
  /** A file's text, or undefined when it does not exist. */
  readText(path: string): Promise<string | undefined>;
  /** A file's bytes. */
  readBytes(path: string): Promise<Uint8Array>;
  /** True when the path exists (file or directory). */
  exists(path: string): Promise<boolean>;
  /** A directory's entries (symbolic links followed); empty when it does not exist. */
  listDirectory(path: string): Promise<DirectoryEntry[]>;
  /** Writes a file (parents are created); an existing file keeps its permissions. */
  writeText(path: string, text: string): Promise<void>;
  /** A new empty directory for one run's scratch files; absolute. */
  makeScratchDirectory(label: string): Promise<string>;
  /** Removes a directory tree; absent is fine. */
  remove(path: string): Promise<void>;
  /**
   * Copies a file or a directory tree to `to` (parents are created; an existing directory is
   * merged into), keeping permissions and modification times (bytecode is checked against them).
   */
  copy(from: string, to: string): Promise<void>;
  /**
   * Like {@link copy} for a directory tree, but each file of `to` is a hard link to `from`'s
   * (directories are new, so files added to `to` never appear in `from`). A linked file must be
   * replaced, never rewritten in place: that would change `from` too. Hosts that cannot link
   * copy instead; optional (copied when absent).
   */
  linkTree?(from: string, to: string): Promise<void>;
  /**
   * A directory of its own for the environments made from one template (`key`), the same for
   * every run, so that a process can start from a memory snapshot taken in an earlier run's
   * environment (with the same paths; see `PreloadRequest`). Held until `release`; undefined while
   * another run holds it, or when the host has none (the run then uses its scratch directory).
   * Whatever an earlier run left in it is gone (or going) when it is handed out. Optional.
   */
  environmentDirectory?(key: string): Promise<{ directory: string; release(): Promise<void> } | undefined>;
  /**
   * The template key the last run of a test setup used (`name`: a digest of its requirements,
   * runtime and kiln), so that the next run can place that template while it resolves. Only a
   * guess: the run uses it only when its own resolution gives the same key. Optional.
   */
  lastTemplates?: { read(name: string): Promise<string | undefined>; write(name: string, key: string): Promise<void> };
  /** kiln's caches: built project wheels, and pristine test environments. */
  cache(name: "project-wheels" | "test-environments"): DirectoryCache;
  /** Which kiln this is (its version); cached builds and environments are only reused by the same. */
  cacheIdentity: string;
  /** Builds the project's wheel with its PEP 517 backend into `outputDir`; returns the wheel's path. */
  buildWheel(request: { projectDir: string; outputDir: string; runtime: RuntimeSpec }): Promise<string>;
  /** Creates a fresh virtual environment for the runtime at `directory`. */
  createEnvironment(request: { directory: string; runtime: RuntimeSpec }): Promise<TestEnvironment>;
  /** Resolves PEP 508 requirements (`name @ file:///…whl` for local wheels) for the environment. */
  resolve(request: { environment: TestEnvironment; requirements: string[] }): Promise<TestResolution>;
  /** Installs the named packages (normalized names) of a resolution into the environment. */
  install(request: { environment: TestEnvironment; resolution: TestResolution; names: string[] }): Promise<void>;
  /**
   * Runs a command with the given environment variables in `cwd`, its output going to the user
   * as it comes; resolves to its exit code (128 + signal number when killed by a signal).
   */
  runCommand(request: { argv: string[]; cwd: string; env: Record<string, string> }): Promise<number>;
  /** Milliseconds, monotonic. */
  now(): number;
}
