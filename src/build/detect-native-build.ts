import { normalizeName, parseRequirement } from "../pep508/index.js";
import type { BuildSystem } from "./read-build-system.js";

/** What a source tree says about extension modules, before anything is built. */
export interface NativeBuildSignals {
  /** Reasons a pure wheel cannot come out of this build (the backend only builds extensions). */
  certain: string[];
  /** Reasons the build may compile extensions (some projects fall back to pure Python when that fails). */
  likely: string[];
}

/** The files of a source tree that tell whether it builds extension modules. */
export interface NativeBuildInput {
  buildSystem: BuildSystem;
  /** The parsed pyproject.toml, when there is one. */
  pyproject?: Record<string, unknown>;
  setupPy?: string;
  setupCfg?: string;
}

// Backends whose only product is compiled code (Rust, CMake, Meson, SIP, SCons).
const nativeBackends: Record<string, string> = {
  maturin: "Rust (maturin)",
  scikit_build_core: "CMake (scikit-build-core)",
  skbuild: "CMake (scikit-build)",
  mesonpy: "Meson (meson-python)",
  sipbuild: "SIP/C++ (sip)",
  py_build_cmake: "CMake (py-build-cmake)",
  enscons: "SCons (enscons)",
};
const nativeRequires: Record<string, string> = {
  maturin: "Rust (maturin)",
  "setuptools-rust": "Rust (setuptools-rust)",
  "scikit-build": "CMake (scikit-build)",
  "scikit-build-core": "CMake (scikit-build-core)",
  "meson-python": "Meson (meson-python)",
};
const compilingRequires = new Set(["cython", "pybind11", "nanobind", "cffi", "cmake", "ninja", "hatch-cython", "hatch-mypyc", "mypy", "numpy", "oldest-supported-numpy", "setuptools-golang"]);
const setupPyPatterns: Array<[RegExp, string]> = [
  [/\bext_modules\b/, "setup.py passes ext_modules"],
  [/\bExtension\s*\(/, "setup.py declares an Extension"],
  [/\bcythonize\s*\(/, "setup.py cythonizes modules"],
  [/\bcffi_modules\b/, "setup.py declares cffi_modules"],
  [/\bRustExtension\b/, "setup.py declares a RustExtension"],
];

/**
 * Reads the signs of extension modules in a source tree: a backend that only builds compiled
 * code, or build requirements such as setuptools-rust, make the build `certain` to need a
 * compiler; `ext_modules` in setup.py, Cython or pybind11 in the requirements, or compiling
 * build hooks make it `likely`. The built wheel stays the authority ({@link impureWheelReasons}):
 * projects with optional speedups build pure when compiling fails.
 *
 * @example
 * detectNativeBuild({ buildSystem: { requires: ["maturin>=1"], buildBackend: "maturin", backendPath: [], legacy: false } });
 * // { certain: ["the build backend maturin builds Rust (maturin) extension modules", …], likely: [] }
 */
export function detectNativeBuild(input: NativeBuildInput): NativeBuildSignals {
  const certain: string[] = [];
  const likely: string[] = [];
  const backendModule = input.buildSystem.buildBackend.split(/[.:]/)[0]!;
  if (backendModule in nativeBackends) certain.push(`the build backend ${input.buildSystem.buildBackend} builds ${nativeBackends[backendModule]} extension modules`);
  for (const requirement of input.buildSystem.requires) {
    const name = requirementName(requirement);
    if (name === undefined) continue;
    if (name in nativeRequires) certain.push(`the build requires ${requirement}, which builds ${nativeRequires[name]} extension modules`);
    else if (compilingRequires.has(name)) likely.push(`the build requires ${requirement}`);
  }
  if (input.setupPy !== undefined) {
    const code = withoutComments(input.setupPy);
    for (const [pattern, reason] of setupPyPatterns) if (pattern.test(code)) likely.push(reason);
  }
  if (input.setupCfg !== undefined && /^\s*ext_modules\s*=/m.test(input.setupCfg)) likely.push("setup.cfg declares ext_modules");
  likely.push(...toolTableSignals(input.pyproject ?? {}));
  return { certain: unique(certain), likely: unique(likely) };
}

function requirementName(requirement: string): string | undefined {
  try {
    return normalizeName(parseRequirement(requirement).name);
  } catch {
    return undefined;
  }
}

function withoutComments(python: string): string {
  return python.replace(/^\s*#.*$/gm, "");
}

function lookup(document: Record<string, unknown>, path: string[]): unknown {
  let value: unknown = document;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function toolTableSignals(pyproject: Record<string, unknown>): string[] {
  const signals: string[] = [];
  if (lookup(pyproject, ["tool", "setuptools", "ext-modules"]) !== undefined) signals.push("[tool.setuptools] declares ext-modules");
  const hooks = lookup(pyproject, ["tool", "hatch", "build", "targets", "wheel", "hooks"]) ?? lookup(pyproject, ["tool", "hatch", "build", "hooks"]);
  if (typeof hooks === "object" && hooks !== null) {
    for (const hook of Object.keys(hooks)) if (/mypyc|cython|cmake|rust|cffi/i.test(hook)) signals.push(`the hatch build hook "${hook}" compiles code`);
  }
  const poetryBuild = lookup(pyproject, ["tool", "poetry", "build"]);
  if (poetryBuild !== undefined) signals.push("[tool.poetry.build] runs a build script");
  if (lookup(pyproject, ["tool", "pdm", "build", "run-setuptools"]) === true) signals.push("[tool.pdm.build] runs setuptools (for extension modules)");
  return signals;
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
