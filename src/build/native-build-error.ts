import { KilnError } from "../core/index.js";

/**
 * The error for a project that needs a compiler for Emscripten: kiln runs build backends inside
 * the WASM runtime, where no C, C++ or Rust toolchain exists, and it never passes off such a
 * build as a pure wheel.
 *
 * @example
 * throw nativeBuildError("pydantic-core 2.41.4", ["the build backend maturin builds Rust (maturin) extension modules"]);
 */
export function nativeBuildError(project: string, reasons: readonly string[]): KilnError {
  return new KilnError(
    "nativeBuildUnsupported",
    `Cannot build ${project} for WASM: it has extension modules (C/C++/Rust) that need a compiler for Emscripten, and kiln builds run inside the WASM runtime without one:\n  - ${reasons.join("\n  - ")}`,
    {
      hint:
        "Build the wheel with the Emscripten toolchain (`pyodide build`, or `cibuildwheel --platform pyodide`) and publish a " +
        "pyemscripten_2026_0_wasm32 wheel (PEP 783), or install a version that already has one",
    },
  );
}
