import { HostModuleRegistry } from "../runtime/index.js";

/**
 * The modules `python -m NAME` runs on the host rather than in the WASM interpreter, for `kiln run`
 * and venv launchers alike.
 *
 * This is the hook for the installer: register `pip` here (a handler that runs kiln's pip with
 * the context's args, targeting `context.venv`), and `venv/bin/python -m pip ...` and a
 * `venv/bin/pip` launcher (see `writeModuleLauncher`) reach it. Handlers are imported lazily, so
 * plain Python runs pay nothing for them. No module is registered yet.
 *
 * @example
 * const handler = (await hostModules()).get("pip");
 */
export async function hostModules(): Promise<HostModuleRegistry> {
  return new HostModuleRegistry();
}
