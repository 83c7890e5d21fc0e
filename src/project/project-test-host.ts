import type { RuntimeSpec, VirtualEnvironment } from "../runtime/index.js";

/** A runtime's environment, ready for installing into. */
export interface TestEnvironment {
  venv: VirtualEnvironment;
  /** `pyodide@314.0.7 (CPython 3.14.2)`, for the log and the summary. */
  label: string;
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
  writeText(path: string, text: string): Promise<void>;
  /** A new empty directory for one run's scratch files; absolute. */
  makeScratchDirectory(label: string): Promise<string>;
  /** Removes a directory tree; absent is fine. */
  remove(path: string): Promise<void>;
  /** Copies a file or a directory tree to `to` (parents are created). */
  copy(from: string, to: string): Promise<void>;
  /** Builds the project's wheel with its PEP 517 backend into `outputDir`; returns the wheel's path. */
  buildWheel(request: { projectDir: string; outputDir: string; runtime: RuntimeSpec }): Promise<string>;
  /** Creates a fresh virtual environment for the runtime at `directory`. */
  createEnvironment(request: { directory: string; runtime: RuntimeSpec }): Promise<TestEnvironment>;
  /** Resolves and installs PEP 508 requirements (`name @ file:///…whl` for local wheels) into the environment. */
  install(request: { environment: TestEnvironment; requirements: string[] }): Promise<void>;
  /**
   * Runs a command with the given environment variables in `cwd`, its output going to the user
   * as it comes; resolves to its exit code (128 + signal number when killed by a signal).
   */
  runCommand(request: { argv: string[]; cwd: string; env: Record<string, string> }): Promise<number>;
  /** Milliseconds, monotonic. */
  now(): number;
}
