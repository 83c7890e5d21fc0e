import { exitStatusOf, isKeyboardInterrupt, type PyodideApi, type PyProxyLike } from "./pyodide-api.js";
import { interruptView } from "./interrupt-view.js";
import type { HostStdio, RuntimeFiles, RuntimeHost } from "./runtime-host.js";

/** The per-run state kiln's Python driver (`_kiln_main.run`) applies before running. */
export interface ProcessConfig {
  /** What to run: `{ kind: "command", value }`, `module`, `script` or `stdin`. */
  mode: { kind: string; value?: string };
  argv: string[];
  origArgv: string[];
  executable: string;
  baseExecutable?: string;
  cwd: string;
  env: Record<string, string>;
  isatty: [boolean, boolean, boolean];
  pythonPath: string[];
  dontWriteBytecode: boolean;
  /** PYTHONWARNINGS entries, then -W options, as CPython orders them. */
  warnOptions: string[];
  /** `-u` or `PYTHONUNBUFFERED`: unbuffered stdout and stderr. */
  unbuffered: boolean;
  inspect: boolean;
  skipFirstLine: boolean;
  venv?: { prefix: string; sitePackages: string; includeSystemSitePackages: boolean };
  /** SIGINT was ignored when the process started (see {@link sigintIgnoredVariable}): it stays ignored. */
  sigintIgnored?: boolean;
}

/**
 * Set to `1` in the environment by a shell launcher that saw SIGINT ignored as it started (a
 * background job of a non-interactive shell), which Node cannot see (it sets every signal back
 * to its default first): Python then starts with SIGINT ignored, as CPython does
 * (`signal.getsignal(SIGINT)` is `SIG_IGN`; ^C does nothing unless the program sets a handler).
 * kiln's own; Python's `os.environ` never has it.
 */
export const sigintIgnoredVariable = "KILN_SIGINT_IGNORED";

/** Exit code meaning "die by SIGINT", as CPython does after an uncaught KeyboardInterrupt. */
export const sigintExitCode = -2;

/**
 * A started Pyodide interpreter. Connect it to the host's standard streams and file system, then
 * run Python in it.
 *
 * @example
 * const runtime = await startRuntime(host);
 * runtime.connectStdio(host.stdio);
 * runtime.mountHostFileSystem(host);
 * const code = runtime.runProcess(config);
 */
export class PythonRuntime {
  readonly pyodide: PyodideApi;
  readonly files: RuntimeFiles;
  /** True when this runtime was restored from a memory snapshot. */
  readonly fromSnapshot: boolean;
  /**
   * Set when the start was asked to preload modules (see `PreloadRequest`): `restored` when it
   * started from a preload snapshot, `wanted` when it could take one (and should), `none` when
   * not. `baseKey` is the runtime's own snapshot key.
   */
  preload?: { state: "restored" | "wanted" | "none"; baseKey: string };

  constructor(pyodide: PyodideApi, files: RuntimeFiles, fromSnapshot: boolean) {
    this.pyodide = pyodide;
    this.files = files;
    this.fromSnapshot = fromSnapshot;
  }

  /** Routes Python's file descriptors 0, 1 and 2 to the host's streams, as raw bytes. */
  connectStdio(stdio: HostStdio): void {
    this.pyodide.setStdin({ read: (buffer) => stdio.read(0, buffer), isatty: stdio.isatty(0) });
    this.pyodide.setStdout({ write: (buffer) => stdio.write(1, buffer), isatty: stdio.isatty(1) });
    this.pyodide.setStderr({ write: (buffer) => stdio.write(2, buffer), isatty: stdio.isatty(2) });
  }

  /** Makes the host's directories visible at their own paths (the host's mounting policy). */
  mountHostFileSystem(host: Pick<RuntimeHost, "mounts" | "mount">): void {
    const fs = this.pyodide.FS as { mkdirTree(path: string): void; analyzePath(path: string): { exists: boolean } };
    for (const mount of host.mounts()) {
      if (!fs.analyzePath(mount.mountPoint).exists) fs.mkdirTree(mount.mountPoint);
      host.mount(this.pyodide.FS, mount);
    }
  }

  /**
   * Lets `Atomics.store(buffer, 0, 2)` from another thread raise KeyboardInterrupt in Python, also
   * during `time.sleep()` (which kiln's driver then sleeps in short steps, checking the buffer).
   * Only while {@link runProcess} runs: a ^C stored before waits there, so that it never raises
   * in the Python kiln runs for itself (publishing host functions, importing the driver).
   */
  setInterruptBuffer(buffer: Int32Array): void {
    this.interrupt = buffer;
    this.hostFunctions.take_interrupt = () => Atomics.exchange(buffer, 0, 0);
    this.publishHostFunctions();
  }

  private interrupt: Int32Array | undefined;

  /** Gives the REPL the host's line editor (see {@link HostStdio.readline}). */
  setReadline(readline: (prompt: string) => string | undefined | false): void {
    this.hostFunctions.readline = readline;
    this.publishHostFunctions();
  }

  private readonly hostFunctions: Record<string, unknown> = {};
  private hostFunctionsPublished = false;

  /**
   * Makes `hostFunctions` the module `_kiln_host`, straight in `sys.modules`: found through
   * Pyodide's import hook instead, it would come after the path finders, which list every
   * `sys.path` directory first (the working directory among them: a large one costs tens of ms).
   */
  private publishHostFunctions(): void {
    if (this.hostFunctionsPublished) return;
    const modules = this.pyodide.runPython("__import__('sys').modules") as PyProxyLike;
    try {
      (modules.set as (key: string, value: unknown) => void)("_kiln_host", this.hostFunctions);
    } finally {
      modules.destroy?.();
    }
    this.hostFunctionsPublished = true;
  }

  /**
   * Runs one process's worth of Python (`python3 ARGS`) and returns its exit code, or
   * {@link sigintExitCode}. Python errors become exit codes and tracebacks, never exceptions.
   */
  runProcess(config: ProcessConfig): number {
    const driver = this.pyodide.pyimport("_kiln_main");
    const text = JSON.stringify(config);
    // Before a ^C can reach Python. Ignored, a relayed ^C is dropped by CPython's
    // PyErr_SetInterruptEx, as the kernel drops an ignored signal.
    if (config.sigintIgnored) this.pyodide.runPython("import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)");
    if (this.interrupt) this.pyodide.setInterruptBuffer(interruptView(this.interrupt));
    try {
      return Number((driver.run_json as (text: string) => unknown)(text));
    } catch (error) {
      const status = exitStatusOf(error);
      if (status !== undefined) return status;
      // ^C before the driver's own handlers (on its first line) or after them (at the exit).
      if (isKeyboardInterrupt(error)) return sigintExitCode;
      throw error;
    } finally {
      if (this.interrupt) this.disarmInterrupt();
      driver.destroy?.();
    }
  }

  private disarmInterrupt(): void {
    try {
      this.pyodide.setInterruptBuffer(undefined);
    } catch {
      // The runtime has exited (os._exit): nothing polls the buffer any more, and its API throws.
    }
  }

  /** Runs Python source in `__main__` and returns the value of its last expression. */
  runPython(code: string): unknown {
    return this.pyodide.runPython(code);
  }
}
