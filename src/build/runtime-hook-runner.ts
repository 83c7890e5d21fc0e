import { silentReporter, type Reporter } from "../core/index.js";
import { errorCode, type InstallFileSystem } from "../installer/index.js";
import { startRuntime, type HostStdio, type RuntimeHost } from "../runtime/index.js";
import { hookProgram, parseHookOutcome } from "./hook-call.js";
import type { HookRunner } from "./hook-runner.js";

/** Options for {@link runtimeHookRunner}. */
export interface RuntimeHookRunnerOptions {
  host: RuntimeHost;
  /** Reads the outcome file the runner writes. */
  fs: InstallFileSystem;
  /** Receives the backend's output as it is written (fd 1 or 2). */
  onOutput?: (fd: 1 | 2, text: string) => void;
  reporter?: Reporter;
}

// Variables that would let the host's Python setup leak into an isolated build.
const dropped = new Set(["PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE", "PIP_REQUIRE_VIRTUALENV"]);

/**
 * Runs each hook in a fresh WASM runtime (as pyproject-hooks starts a fresh process per hook, so
 * no backend state leaks between hooks), with the build environment as its virtual environment,
 * the host file system at its own paths, no stdin, and the backend's output passed to `onOutput`.
 *
 * @example
 * const runner = runtimeHookRunner({ host: createNodeRuntimeHost(), fs: nodeFileSystem(), onOutput: (fd, text) => log.push(text) });
 * const outcome = await runner.run(request, { prefix, sitePackages });
 */
export function runtimeHookRunner(options: RuntimeHookRunnerOptions): HookRunner {
  return {
    async run(request, environment) {
      const runtime = await startRuntime(options.host, { reporter: options.reporter ?? silentReporter });
      runtime.connectStdio(captureStdio(options.onOutput));
      runtime.mountHostFileSystem(options.host);
      const env = Object.fromEntries(Object.entries(options.host.env).filter(([name]) => !dropped.has(name)));
      await options.fs.remove(request.resultPath);
      runtime.runProcess({
        mode: { kind: "command", value: hookProgram(request) },
        argv: ["-c"],
        origArgv: ["python", "-c", `<kiln: PEP 517 ${request.hook}>`],
        executable: `${environment.prefix}/bin/python`,
        cwd: request.source,
        env: { ...env, ...request.env },
        isatty: [false, false, false],
        pythonPath: [],
        dontWriteBytecode: false,
        warnOptions: [],
        unbuffered: true,
        inspect: false,
        skipFirstLine: false,
        venv: { prefix: environment.prefix, sitePackages: environment.sitePackages, includeSystemSitePackages: false },
      });
      return parseHookOutcome(await readText(options.fs, request.resultPath), request);
    },
  };
}

async function readText(fs: InstallFileSystem, path: string): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await fs.readFile(path));
  } catch (error) {
    if (errorCode(error) === "ENOENT") return undefined;
    throw error;
  }
}

function captureStdio(onOutput: RuntimeHookRunnerOptions["onOutput"]): HostStdio {
  const decoders = { 1: new TextDecoder(), 2: new TextDecoder() };
  return {
    read: () => 0,
    write: (fd, buffer) => {
      onOutput?.(fd, decoders[fd].decode(buffer, { stream: true }));
      return buffer.length;
    },
    isatty: () => false,
  };
}
