/**
 * The entry point of a virtual environment's `bin/python`: `node node-venv-launcher.cjs VENV ARGV0
 * ARGS...` (or the ES-module build, `node-venv-launcher.js`, which environments made by earlier
 * builds of kiln name). Kept apart from the CLI so that it loads only what running Python needs,
 * from its one-file bundle through V8's code cache when it can (see `runWithCodeCache`); the
 * helper thread a warm start waits for starts before any of that loads (see `startHelperEarly`).
 * The CommonJS build starts that thread before Node's ES-module loader has started (~5 ms
 * sooner): no top-level `await` here, so that one source serves both builds.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { importModule } from "./import-module.js";
import { startHelperEarly } from "./node-early-start-helper.js";
import { restoreDeferredExtraCaCerts } from "./node-extra-ca-certs.js";
import { lazyStdio } from "./node-lazy-stdio.js";

// First: everything below (the helper's environment, Python's os.environ) sees the variable as the user set it.
restoreDeferredExtraCaCerts(process.env);

const [directory, invokedAs, ...args] = process.argv.slice(2);
if (directory === undefined || invokedAs === undefined) {
  process.stderr.write("usage: node-venv-launcher.cjs VENV_DIR ARGV0 [python arguments...]\n");
  process.exit(2);
}
// A failure outside runVenvPython's own error handling ends the process as an uncaught error would.
void launch(directory, invokedAs, args).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = 1;
    throw error;
  },
);

async function launch(venv: string, argv0: string, pythonArgs: string[]): Promise<number> {
  // `bin/python -m pip …` (and the venv's bin/pip, which runs it) is kiln's own pip: run here, as
  // `kiln pip` with this environment as VIRTUAL_ENV, from the CLI's bundle and code cache, instead
  // of through the Python process's host module, which starts a second Node for it (~50 ms).
  const pip = pythonArgs[0] === "-m" && pythonArgs[1] === "pip" ? await runKilnPipHere(venv, pythonArgs.slice(2)) : undefined;
  return pip ?? (await runPython(venv, argv0, pythonArgs));
}

/** Runs Python in the environment: from the one-file bundle through V8's code cache when it can. */
async function runPython(venv: string, argv0: string, pythonArgs: string[]): Promise<number> {
  startHelperEarly({ args: pythonArgs, env: process.env, bundled: usesBundledRuntime(venv) });
  const argv = [venv, argv0, ...pythonArgs];
  // Made when first written to (an error): made, they set O_NONBLOCK on a pipe (see lazyStdio).
  const streams = { stdout: lazyStdio(1), stderr: lazyStdio(2), env: process.env, cwd: process.cwd() };
  // Beside this file in the bundle (scripts/bundle.mjs); absent when running from tsc's output.
  const bundle = fileURLToPath(new URL("./node-venv-python.cjs", import.meta.url));
  if (existsSync(bundle)) {
    const { codeCacheWanted, runWithCodeCache } = await import("./node-code-cache.js");
    if (codeCacheWanted(process.env)) return runWithCodeCache({ bundle, argv, streams, entry: "runVenvPython" });
  }
  // By URL: the CommonJS build must not take the module into its own bundle.
  const { runVenvPython } = await importModule<typeof import("./node-venv-python.js")>(new URL("./node-venv-python.js", import.meta.url).href);
  return runVenvPython(argv, streams);
}

/**
 * Runs `kiln pip ARGS` in this process for the environment `directory` (what the `pip` host module
 * runs as a child process: see node-host-modules.ts), or returns undefined when it cannot (no
 * bundle, the code cache turned off, not a venv), leaving it to the usual path.
 */
async function runKilnPipHere(venv: string, pipArgs: string[]): Promise<number | undefined> {
  const cli = fileURLToPath(new URL("./kiln-cli.cjs", import.meta.url));
  if (!existsSync(cli) || !existsSync(join(venv, "pyvenv.cfg"))) return undefined;
  const { codeCacheWanted, lazyStdio, runWithCodeCache } = await import("./node-code-cache.js");
  if (!codeCacheWanted(process.env)) return undefined;
  process.env.VIRTUAL_ENV = venv.replace(/\/+$/, "") || "/";
  const streams = { stdout: lazyStdio(1), stderr: lazyStdio(2), env: process.env, cwd: process.cwd() };
  return runWithCodeCache({ bundle: cli, argv: ["pip", ...pipArgs], streams });
}

/** A first look at the environment's runtime (`openVirtualEnvironment` reads it properly), for the early helper's guess. */
function usesBundledRuntime(venv: string): boolean {
  try {
    return /^kiln-runtime = bundled$/m.test(readFileSync(join(venv, "pyvenv.cfg"), "utf8"));
  } catch {
    return false;
  }
}
