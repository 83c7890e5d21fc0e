/**
 * The part of Pyodide's JavaScript API that kiln uses, typed here rather than taken from one
 * version's `pyodide.d.ts`, because kiln drives several Pyodide versions (0.27, 0.29, 314).
 */

/** A raw byte-level stream handler, as `pyodide.setStdout({ write })` accepts. */
export interface PyodideWriteHandler {
  write(buffer: Uint8Array): number;
  isatty?: boolean;
}

/** A raw byte-level input handler, as `pyodide.setStdin({ read })` accepts. */
export interface PyodideReadHandler {
  read(buffer: Uint8Array): number;
  isatty?: boolean;
}

/** A Python object seen from JavaScript. */
export interface PyProxyLike {
  (...args: unknown[]): unknown;
  destroy?(): void;
  [key: string]: unknown;
}

/** The object `loadPyodide()` resolves to, as far as kiln uses it. */
export interface PyodideApi {
  version: string;
  FS: unknown;
  runPython(code: string, options?: { globals?: unknown }): unknown;
  pyimport(name: string): PyProxyLike;
  toPy(value: unknown): unknown;
  setStdout(handler: PyodideWriteHandler | { batched: (text: string) => void }): void;
  setStderr(handler: PyodideWriteHandler | { batched: (text: string) => void }): void;
  setStdin(handler: PyodideReadHandler | { error: true }): void;
  /**
   * Pyodide only reads element 0 and sets it to 0 once handled: any object with a `0` will do.
   * Undefined stops the polling.
   */
  setInterruptBuffer(buffer: Int32Array | Uint8Array | { 0: number } | undefined): void;
  makeMemorySnapshot?(): Uint8Array;
  registerJsModule(name: string, module: object): void;
}

/**
 * The status of an Emscripten `exit()` (Python's `os._exit(n)`), or undefined for other errors.
 *
 * @example
 * try { run(); } catch (error) { const status = exitStatusOf(error); if (status !== undefined) return status; throw error; }
 */
export function exitStatusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const candidate = error as { name?: unknown; status?: unknown };
  // Emscripten throws ExitStatus; Pyodide re-raises it as an error named "Exit".
  const isExit = candidate.name === "ExitStatus" || candidate.name === "Exit";
  return isExit && typeof candidate.status === "number" ? candidate.status : undefined;
}

/**
 * Whether `error` is Python's KeyboardInterrupt come out into JavaScript (a Pyodide `PythonError`
 * names the exception's type).
 *
 * @example
 * try { driver.run(); } catch (error) { if (isKeyboardInterrupt(error)) return sigintExitCode; throw error; }
 */
export function isKeyboardInterrupt(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { type?: unknown }).type === "KeyboardInterrupt";
}
