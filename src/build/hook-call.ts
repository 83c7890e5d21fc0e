import { KilnError } from "../core/index.js";
import { hookRunnerSource } from "./hook-runner-source.js";

/** The PEP 517 and PEP 660 hooks kiln calls. */
export type HookName =
  | "get_requires_for_build_wheel"
  | "get_requires_for_build_sdist"
  | "get_requires_for_build_editable"
  | "prepare_metadata_for_build_wheel"
  | "prepare_metadata_for_build_editable"
  | "build_wheel"
  | "build_sdist"
  | "build_editable";

/** `config_settings` as build frontends pass them: `-C key=value`, repeated keys collect into a list. */
export type ConfigSettings = Record<string, string | string[]>;

/** One hook call, as the runner inside the runtime receives it. Paths are absolute host paths. */
export interface HookRequest {
  hook: HookName;
  /** `build-backend`, such as `setuptools.build_meta:__legacy__`. */
  backend: string;
  /** `backend-path` entries relative to `source`. */
  backendPath: string[];
  /** The project's source tree; the hook runs with it as the working directory. */
  source: string;
  arguments: {
    config_settings?: ConfigSettings;
    wheel_directory?: string;
    sdist_directory?: string;
    metadata_directory?: string;
  };
  /** Where the runner writes the JSON outcome. */
  resultPath: string;
  /** Directories to put on `sys.path` (the build environment's site-packages). */
  sysPath?: string[];
  /** Environment variables to set before the backend is imported. */
  env?: Record<string, string>;
}

/** What the runner reports: the hook's return value, or how it failed; and every program the backend tried to start. */
export type HookOutcome =
  | { ok: true; value: unknown; attempted: string[][] }
  | {
      ok: false;
      kind: "backendUnavailable" | "backendInvalid" | "hookMissing" | "unsupported" | "error";
      message: string;
      traceback: string;
      attempted: string[][];
    };

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * The Python program that performs one hook call inside the runtime: the runner followed by a
 * call with the request (base64 JSON, so no quoting can break out of the literal).
 *
 * @example
 * await runtime.runPython(hookProgram({ hook: "build_wheel", backend: "flit_core.buildapi", backendPath: [],
 *   source: "/src/pkg", arguments: { wheel_directory: "/tmp/out" }, resultPath: "/tmp/out/.result.json" }));
 */
export function hookProgram(request: HookRequest): string {
  return `${hookRunnerSource}\nimport base64 as _kiln_b64\n_kiln_run_hook(json.loads(_kiln_b64.b64decode("${base64(JSON.stringify(request))}").decode("utf-8")))\n`;
}

/**
 * Reads the runner's JSON outcome; a missing or garbled file (the runtime died mid-hook) is a
 * {@link KilnError} naming the hook.
 *
 * @example
 * const outcome = parseHookOutcome(await fs.readFile(request.resultPath), request);
 */
export function parseHookOutcome(text: string | undefined, request: Pick<HookRequest, "hook" | "source">): HookOutcome {
  const broken = (why: string) =>
    new KilnError("buildBackendFailed", `Cannot run the PEP 517 hook ${request.hook} for "${request.source}": ${why}`, {
      hint: "The runtime stopped before the hook finished; run again with -v to see the backend's output",
    });
  if (text === undefined) throw broken("it wrote no result");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw broken("its result is not JSON");
  }
  const outcome = value as Partial<HookOutcome>;
  if (typeof outcome !== "object" || outcome === null || typeof outcome.ok !== "boolean" || !Array.isArray(outcome.attempted)) {
    throw broken("its result has the wrong shape");
  }
  return outcome as HookOutcome;
}
