import type { ProcessVenv } from "./run-python-main.js";

/** What a host-handled module gets: the rest of the command line and where it runs. */
export interface HostModuleContext {
  /** `sys.argv[1:]` of `python -m NAME ARGS`. */
  args: string[];
  /** The virtual environment of the launcher, when there is one. */
  venv: ProcessVenv | undefined;
  /** `sys.executable` of the process that was asked to run the module. */
  executable: string;
  env: Record<string, string>;
  cwd: string;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** Runs a host-handled module and returns the exit status. */
export type HostModuleHandler = (context: HostModuleContext) => Promise<number>;

/**
 * Modules that `python -m NAME` runs on the host instead of inside the WASM interpreter. This is
 * the hook through which `venv/bin/python -m pip ...` reaches kiln's own installer: pip cannot run
 * inside Pyodide (no subprocesses, no sockets), so the command is handled by kiln with the same
 * arguments and the venv as its target.
 *
 * @example
 * const modules = new HostModuleRegistry();
 * modules.register("pip", async ({ args, venv }) => runKilnPip(args, venv));
 * modules.get("pip"); // the handler
 */
export class HostModuleRegistry {
  private readonly handlers = new Map<string, HostModuleHandler>();

  register(name: string, handler: HostModuleHandler): void {
    this.handlers.set(name, handler);
  }

  get(name: string): HostModuleHandler | undefined {
    return this.handlers.get(name);
  }

  get names(): string[] {
    return [...this.handlers.keys()].sort();
  }
}
