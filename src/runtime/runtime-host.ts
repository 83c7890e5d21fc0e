import type { StartProfile } from "./start-profile.js";

/**
 * What the runtime layer needs from the machine it runs on. The runtime never touches Node or the
 * DOM itself: `src/platform/node-runtime-host.ts` implements these for Node.
 */

/** The JavaScript half of a Pyodide runtime as the host found it on disk (or in its cache). */
export interface RuntimeFiles {
  /** The npm package version, such as `314.0.7`. */
  pyodideVersion: string;
  /** The directory (or URL) holding `pyodide.asm.wasm`, `python_stdlib.zip`, `pyodide-lock.json`. */
  indexURL: string;
  /**
   * Identifies this exact build (file sizes and modification times, or content hashes). A memory
   * snapshot is only ever restored into the build whose identity it records.
   */
  buildIdentity: string;
  /**
   * Pyodide's `loadPyodide`, from this runtime's own `pyodide.mjs`. `wasmModule`, when given,
   * resolves to this runtime's `pyodide.asm.wasm` already compiled (by
   * {@link RuntimeFiles.compileWasm}), or to undefined; awaited only when the wasm is instantiated.
   * `ready`, when given, resolves once the `_loadSnapshot` bytes may be used: to undefined, or to
   * why not (then loadPyodide must fail without running anything from them). The host may let
   * Pyodide set up its module in the meantime.
   */
  loadPyodide: (options: Record<string, unknown>, extras?: { wasmModule: Promise<unknown>; ready?: Promise<string | undefined> }) => Promise<unknown>;
  /**
   * Starts loading the runtime's JavaScript, so that it loads while the caller does other work
   * (reading the snapshot); `loadPyodide` then finds it loaded. Optional.
   */
  preload?: () => void;
  /**
   * Compiles `pyodide.asm.wasm` to a `WebAssembly.Module` (possibly on another thread). With a
   * start profile of this build, the host may compile the functions it names ahead (see
   * {@link StartProfile}). Optional.
   */
  compileWasm?: (options?: { profile?: StartProfile }) => Promise<unknown>;
  /**
   * The byte-compiled standard library the host keeps for this build (see `ensureCompiledStdlib`),
   * given to Pyodide instead of `python_stdlib.zip`; `identity` changes whenever the file does
   * (memory snapshots are keyed by it). Absent until it has been compiled.
   */
  stdlib?: { url: string; identity: string };
}

/** Which runtime to use: the bundled `pyodide` dependency, or a version fetched from npm. */
export type RuntimeSpec = { kind: "bundled" } | { kind: "npm"; version: string };

/** A key-value store for large binary blobs, such as memory snapshots. */
export interface BlobStore {
  /** The stored bytes, or undefined when absent or unreadable. */
  read(key: string): Promise<Uint8Array | undefined>;
  /**
   * Stores `bytes` under `key` atomically: a concurrent reader sees the old blob, the new one or
   * none, never a partial one.
   */
  write(key: string, bytes: Uint8Array): Promise<void>;
  /** Removes the blob; absent keys are fine. */
  remove(key: string): Promise<void>;
  /**
   * Opens the blob for reading in parts (its size first, then the parts into memory the caller
   * owns), or undefined when absent. Optional: a store without it is read whole.
   */
  open?(key: string): Promise<BlobReader | undefined>;
}

/** A blob opened for reading in parts (see {@link BlobStore.open}). Close it when done. */
export interface BlobReader {
  readonly size: number;
  /** Fills `target` from `offset`; returns how many bytes it read (fewer only at the end). */
  readInto(offset: number, target: Uint8Array): Promise<number>;
  close(): Promise<void>;
}

/** Where a host directory appears inside the runtime's file system. */
export interface HostMount {
  /** Absolute path inside the runtime, such as `/home`. */
  mountPoint: string;
  /** Absolute path on the host, such as `/home`. */
  hostPath: string;
}

/** One standard stream of the process, as raw bytes. */
export interface HostStdio {
  /** Reads up to `buffer.length` bytes; 0 at end of file. Blocks until data is there. */
  read(fd: 0, buffer: Uint8Array): number;
  /** Writes the bytes and returns how many were written. */
  write(fd: 1 | 2, buffer: Uint8Array): number;
  isatty(fd: 0 | 1 | 2): boolean;
  /**
   * Reads one line from the terminal with line editing and history, for the REPL: the line
   * without its newline, undefined at end of input (^D), false when ^C cancelled it.
   */
  readline?(prompt: string): string | undefined | false;
  /** The terminal size, for `shutil.get_terminal_size()`. */
  terminalSize?(): { rows: number; columns: number } | undefined;
}

/**
 * The host as the runtime layer sees it.
 *
 * @example
 * const host = createNodeRuntimeHost();            // src/platform
 * const runtime = await startRuntime(host, { runtime: { kind: "bundled" } });
 */
export interface RuntimeHost {
  /** Finds (and, for npm runtimes, fetches into the cache) a runtime's files. */
  locateRuntime(spec: RuntimeSpec): Promise<RuntimeFiles>;
  /** Memory snapshots, one per runtime build and start-up configuration. */
  snapshots: BlobStore;
  /**
   * Byte-compiled standard libraries, one per runtime build, named by `compiledStdlibName`; what
   * `locateRuntime` finds here becomes `RuntimeFiles.stdlib`. Absent when the host keeps none.
   */
  compiledStdlibs?: BlobStore;
  /**
   * Start profiles, one per runtime build (see {@link StartProfile}); absent when the host cannot
   * use them, or they are turned off.
   */
  startProfiles?: BlobStore;
  /** A fast checksum of large byte arrays, to catch corrupt snapshots. */
  checksum(bytes: Uint8Array): number;
  /**
   * A stamp per host file that changes whenever the file does (size, modification time, inode),
   * undefined for a missing file. With {@link directoryNames}, lets preload snapshots be checked
   * (see `checkPreload`); optional.
   */
  fileStamps?(paths: string[]): Promise<Array<string | undefined>>;
  /** The names in a host directory; empty when it does not exist. Optional. */
  directoryNames?(path: string): Promise<string[]>;
  /** The host directories to make visible in the runtime, at their host paths. */
  mounts(): HostMount[];
  /**
   * Mounts `hostPath` at `mountPoint` in an Emscripten file system (Pyodide's `FS`). Only a host
   * that can reach its real file system (Node: NODEFS) can do this.
   */
  mount(fs: unknown, mount: HostMount): void;
  stdio: HostStdio;
  /** The process environment. */
  env: Record<string, string>;
  /** The current working directory. */
  cwd: string;
  /** Milliseconds from an arbitrary start, for timings in debug output. */
  now(): number;
}
