import { KilnError } from "../core/index.js";
import type { NativeBuildSignals } from "./detect-native-build.js";
import type { HookOutcome, HookRequest } from "./hook-call.js";
import { nativeBuildError } from "./native-build-error.js";

// Programs whose use means the build compiles code for the target.
const compilers = /^(.*[-/])?(cc|c\+\+|gcc|g\+\+|clang|clang\+\+|emcc|em\+\+|cargo|rustc|cmake|ninja|meson|make|gfortran|nvcc|cl|link|ld|ar)(-[\d.]+)?(\.exe)?$/;

/** Options for {@link hookFailureError}. */
export interface HookFailureOptions {
  /** The project, for messages: a name and version, or a path. */
  project: string;
  request: Pick<HookRequest, "hook" | "backend">;
  outcome: Extract<HookOutcome, { ok: false }>;
  /** What the source tree says about extension modules. */
  signals?: NativeBuildSignals;
}

/**
 * Turns a failed hook into the error the user sees. A backend that tried to start a compiler, or
 * a failure in a project with `certain` native signals, is {@link nativeBuildError}; a backend
 * that cannot be imported, or that raised, is `buildBackendFailed` with the end of its traceback
 * and, when the backend tried to run other programs (`git` for setuptools-scm), which ones.
 *
 * @example
 * if (!outcome.ok) throw hookFailureError({ project: "pkg 1.0", request, outcome, signals });
 */
export function hookFailureError(options: HookFailureOptions): KilnError {
  const { project, request, outcome, signals } = options;
  const programs = outcome.attempted.map((argv) => argv[0] ?? "").filter(Boolean);
  const compiled = programs.filter((program) => compilers.test(program));
  if (compiled.length || signals?.certain.length) {
    const reasons = [...new Set(compiled)].map((program) => `the backend tried to run the compiler tool "${program}"`);
    return nativeBuildError(project, [...reasons, ...(signals?.certain ?? []), ...(signals?.likely ?? [])]);
  }
  if (outcome.kind === "backendUnavailable" || outcome.kind === "backendInvalid") {
    return new KilnError("buildBackendFailed", `Cannot build ${project}: ${outcome.message}`, {
      hint:
        outcome.kind === "backendUnavailable"
          ? "The package that provides build-backend must be listed in [build-system] requires of pyproject.toml"
          : "backend-path must contain the backend module itself",
    });
  }
  if (request.hook === "build_editable" && outcome.kind === "hookMissing") {
    return new KilnError("buildBackendFailed", `Cannot install ${project} in editable mode: its build backend "${request.backend}" has no build_editable hook (PEP 660)`, {
      hint: "Install it without -e, or use a backend version with PEP 660 support in [build-system] requires (setuptools>=64, flit-core>=3.4, hatchling, pdm-backend, poetry-core>=1.0.8)",
    });
  }
  const detail = outcome.traceback ? `\n${lastLines(outcome.traceback, 12)}` : "";
  const others = [...new Set(programs)];
  const hints: string[] = [];
  if (others.length) hints.push(`The backend tried to run ${others.map((p) => `"${p}"`).join(", ")}; programs cannot be started inside the WASM runtime`);
  if (others.includes("git")) hints.push("For setuptools-scm or hatch-vcs projects, build from an sdist (it records the version) or set SETUPTOOLS_SCM_PRETEND_VERSION");
  if (signals?.likely.length) hints.push(`The project may need a compiler: ${signals.likely.join("; ")}`);
  if (!hints.length) hints.push("The error comes from the project's build backend; run with -v to see its full output");
  const what = outcome.kind === "hookMissing" || outcome.kind === "unsupported" ? "the backend does not support it" : "the backend failed";
  return new KilnError("buildBackendFailed", `Cannot build ${project} (${request.hook} of ${request.backend}): ${what}: ${outcome.message}${detail}`, {
    hint: hints.join("\n      "),
  });
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split("\n").slice(-count).map((line) => `  ${line}`).join("\n");
}
