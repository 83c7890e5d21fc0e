/**
 * The entry point of a virtual environment's `bin/python`: `node node-venv-launcher.js VENV ARGV0
 * ARGS...`. Kept apart from the CLI so that it loads only what running Python needs, from its
 * one-file bundle through V8's code cache when it can (see `runWithCodeCache`); the helper thread
 * a warm start waits for starts before any of that loads (see `startHelperEarly`).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startHelperEarly } from "./node-early-start-helper.js";
import { restoreDeferredExtraCaCerts } from "./node-extra-ca-certs.js";

// First: everything below (the helper's environment, Python's os.environ) sees the variable as the user set it.
restoreDeferredExtraCaCerts(process.env);

const [directory, invokedAs, ...args] = process.argv.slice(2);
if (directory === undefined || invokedAs === undefined) {
  process.stderr.write("usage: node-venv-launcher.js VENV_DIR ARGV0 [python arguments...]\n");
  process.exit(2);
}
startHelperEarly({ args, env: process.env, bundled: usesBundledRuntime(directory) });
const argv = [directory, invokedAs, ...args];
const streams = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
// Beside this file in the bundle (scripts/bundle.mjs); absent when running from tsc's output.
const bundle = fileURLToPath(new URL("./node-venv-python.cjs", import.meta.url));
let code: number | undefined;
if (existsSync(bundle)) {
  const { codeCacheWanted, runWithCodeCache } = await import("./node-code-cache.js");
  if (codeCacheWanted(process.env)) code = await runWithCodeCache({ bundle, argv, streams, entry: "runVenvPython" });
}
code ??= await (await import("./node-venv-python.js")).runVenvPython(argv, streams);
process.exitCode = code;

/** A first look at the environment's runtime (`openVirtualEnvironment` reads it properly), for the early helper's guess. */
function usesBundledRuntime(venv: string): boolean {
  try {
    return /^kiln-runtime = bundled$/m.test(readFileSync(join(venv, "pyvenv.cfg"), "utf8"));
  } catch {
    return false;
  }
}
