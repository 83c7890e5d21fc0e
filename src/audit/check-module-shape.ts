import type { WasmModule } from "../wasm/index.js";
import type { Finding } from "./finding.js";
import { stableAbiData, stableAbiFunctions } from "./stable-abi-data.js";

/** What the wheel's tags promise about its extension modules. */
export interface PythonTarget {
  /** CPython minor version the wheel is for, from `cpXY` (`[3, 14]`), if any. */
  python?: readonly [number, number];
  /** The wheel is tagged `abi3`. */
  abi3: boolean;
}

/** A module's role: a Python extension module (has `PyInit_*`) or a shared library. */
export interface ModuleShape {
  role: "extension" | "library";
  /** `PyInit_<name>` for extension modules. */
  initFunction?: string;
  /** The `cpython-314-wasm32-emscripten` / `abi3` part of the file name, if any. */
  suffixTag?: string;
}

const extensionName = /^([A-Za-z_][A-Za-z0-9_]*)\.(?:(cpython-(\d)(\d+)-([a-z0-9_-]+))\.|(abi3)\.)?so$/;

/**
 * Check 3: a `.so` must be an Emscripten side module whose first section is `dylink.0` (the
 * loader refuses anything else); an extension module's suffix must name the wheel's (and the
 * runtime's) Python and `wasm32-emscripten`, it must export `PyInit_<name>`, and an abi3 wheel
 * may import only stable-ABI symbols available in its minimum Python.
 *
 * @example
 * const { shape, findings } = checkModuleShape({ path, module, target: { python: [3, 14], abi3: false }, runtimePython: [3, 14] });
 */
export function checkModuleShape(options: { path: string; module: WasmModule; target: PythonTarget; runtimePython?: readonly [number, number] }): { shape: ModuleShape; findings: Finding[] } {
  const { path, module, target } = options;
  const findings: Finding[] = [];
  const add = (finding: Omit<Finding, "check" | "file">) => findings.push({ check: "modules", file: path, ...finding });
  const first = module.sections[0];
  if (!module.dylink()) {
    add({ code: "notSideModule", severity: "error", effect: "load", message: "Not an Emscripten side module: it has no dylink.0 section, so the loader refuses it" });
  } else if (first?.name !== "dylink.0") {
    const legacy = module.dylink()?.format === "dylink";
    add({
      code: legacy ? "legacyDylink" : "dylinkNotFirst", severity: "error", effect: "load",
      message: legacy ? "The module has the legacy dylink section (Emscripten before 2.0.17); current loaders need dylink.0" : "dylink.0 is not the first section; the loader reads only the first section and refuses the module",
      evidence: { firstSection: first?.name },
    });
  }
  const basename = path.slice(path.lastIndexOf("/") + 1);
  const match = extensionName.exec(basename);
  const pyInits = module.exports().filter((e) => e.kind === "function" && e.name.startsWith("PyInit_")).map((e) => e.name);
  const isExtension = pyInits.length > 0 || Boolean(match && (match[2] || match[6]));
  if (!isExtension || !match) return { shape: { role: isExtension ? "extension" : "library", ...(pyInits[0] ? { initFunction: pyInits[0] } : {}) }, findings };
  const initFunction = `PyInit_${match[1]}`;
  if (!pyInits.includes(initFunction)) {
    add({ code: "missingInitFunction", severity: "error", effect: "load", message: `The extension module does not export ${initFunction}, so importing ${match[1]} fails`, evidence: { exported: pyInits } });
  }
  if (match[2]) checkSuffix({ add, python: [Number(match[3]), Number(match[4])], platform: match[5]!, suffix: match[2], target, runtimePython: options.runtimePython });
  if (target.abi3) findings.push(...checkStableAbi(path, module, target.python));
  return { shape: { role: "extension", initFunction, ...(match[2] || match[6] ? { suffixTag: match[2] ?? match[6] } : {}) }, findings };
}

function checkSuffix(options: {
  add: (finding: Omit<Finding, "check" | "file">) => void;
  python: [number, number];
  platform: string;
  suffix: string;
  target: PythonTarget;
  runtimePython?: readonly [number, number];
}): void {
  const { add, python, suffix, target, runtimePython } = options;
  if (options.platform !== "wasm32-emscripten") {
    add({ code: "suffixPlatform", severity: "error", effect: "load", message: `The suffix ${suffix} is not for wasm32-emscripten; Python on Emscripten will not import it` });
  }
  const version = python.join(".");
  if (target.python && !target.abi3 && (target.python[0] !== python[0] || target.python[1] !== python[1])) {
    add({ code: "suffixPython", severity: "error", effect: "load", message: `The suffix ${suffix} is for Python ${version}, but the wheel is tagged for Python ${target.python.join(".")}` });
  }
  if (runtimePython && (runtimePython[0] !== python[0] || runtimePython[1] !== python[1])) {
    add({ code: "suffixRuntimePython", severity: "error", effect: "load", message: `The suffix ${suffix} is for Python ${version}; the runtime runs Python ${runtimePython.join(".")}, which ignores this file` });
  }
}

function checkStableAbi(path: string, module: WasmModule, minimum: readonly [number, number] | undefined): Finding[] {
  const violations: string[] = [];
  const tooNew: string[] = [];
  const imports = module.imports();
  for (let index = 0; index < imports.length; index++) {
    const entry = imports[index]!;
    if (!startsWithPy(entry.name)) continue;
    const known = entry.module === "GOT.mem" ? stableAbiData[entry.name] ?? stableAbiFunctions[entry.name] : stableAbiFunctions[entry.name] ?? stableAbiData[entry.name];
    if (!known) violations.push(entry.name);
    else if (minimum && compareVersion(known.added, minimum) > 0) tooNew.push(`${entry.name} (${known.added})`);
  }
  const findings: Finding[] = [];
  if (violations.length) {
    findings.push({
      code: "abi3Violation", check: "modules", file: path, severity: "warning",
      message: `The wheel is tagged abi3 but the module imports ${violations.length} symbol(s) outside the stable ABI; it may break on other Python versions`,
      evidence: [...new Set(violations)].sort(),
    });
  }
  if (tooNew.length) {
    findings.push({
      code: "abi3TooNew", check: "modules", file: path, severity: "warning",
      message: `The wheel claims abi3 from Python ${minimum!.join(".")} but imports stable-ABI symbols added later`,
      evidence: [...new Set(tooNew)].sort(),
    });
  }
  return findings;
}

/** `/^_?Py/` without a regular expression call per import. */
function startsWithPy(name: string): boolean {
  const at = name.charCodeAt(0) === 0x5f ? 1 : 0;
  return name.charCodeAt(at) === 0x50 && name.charCodeAt(at + 1) === 0x79;
}

function compareVersion(added: string, minimum: readonly [number, number]): number {
  const [major = 0, minor = 0] = added.split(".").map(Number);
  return major - minimum[0] || minor - minimum[1];
}
