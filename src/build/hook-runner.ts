import type { HookOutcome, HookRequest } from "./hook-call.js";

/** The build environment a hook runs in. */
export interface HookEnvironment {
  /** `sys.prefix` of the build environment. */
  prefix: string;
  /** Its site-packages, where the build requirements are installed. */
  sitePackages: string;
}

/**
 * Runs one PEP 517 hook call somewhere Python exists: the WASM runtime ({@link runtimeHookRunner}),
 * or, in tests, anything that honours the request and writes the outcome file.
 */
export interface HookRunner {
  run(request: HookRequest, environment: HookEnvironment): Promise<HookOutcome>;
}
