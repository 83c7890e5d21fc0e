import type { AuditReport, LoadResult } from "./audit-target-report.js";

/**
 * What `--load` needs from the host: a fresh runtime, a temporary virtual environment on it with
 * the wheel installed by the installer (which decides whether it installs), and a way to run
 * Python there. The CLI implements it with kiln's own venv, installer and runtime
 * (`src/cli/commands/audit-load.ts`); tests can implement it with anything.
 */
export interface LoadHarness {
  /**
   * Installs the wheel into a fresh environment on the runtime, runs `code` there as `python -c`,
   * and returns the installer's decision and what the program printed. When the installer
   * refuses the wheel its files must still be put in place, so linking can be tried anyway.
   */
  runWithWheel(report: AuditReport, code: string): Promise<{ installed: boolean; detail?: string; output: string }>;
}

/**
 * Ground truth for the static verdict: installs the wheel into a fresh environment on the runtime
 * and imports each extension module through the normal import system (parent packages are
 * stubbed so their pure-Python dependencies need not be installed; suffix rules still apply, and
 * the module must come from the `.so`, not a same-named namespace directory), loads each shared
 * library with `ctypes`, and, when the installer took the wheel, imports each top-level module.
 * Extension modules are tried even when the installer refused the wheel, so `linked` checks the
 * static linking analysis for a runtime the wheel was not built for too.
 *
 * @example
 * report.load = await checkLoad(report, harness);
 */
export async function checkLoad(report: AuditReport, harness: LoadHarness): Promise<LoadResult> {
  const extensions = report.modules.flatMap((m) => {
    const name = m.role === "extension" ? moduleName(m.path) : undefined;
    return name ? [{ name, path: m.path }] : [];
  });
  const libraries = report.modules.filter((m) => m.role === "library").map((m) => m.path);
  const run = await harness.runWithWheel(report, importProgram(extensions, libraries, report.topLevelModules));
  const line = run.output.split("\n").reverse().find((l) => l.startsWith("KILN-LOAD "));
  const detail = [run.detail, line ? undefined : run.output.slice(-2000)].filter(Boolean).join("\n");
  const result = line ? (JSON.parse(line.slice(10)) as { extensions: LoadResult["extensions"]; imports: LoadResult["imports"] }) : { extensions: [], imports: [] };
  // A module whose initialisation ran but stopped at a missing Python dependency was loaded and
  // linked: that is what the static verdict speaks about.
  const linked = line !== undefined && result.extensions.every((e) => e.ok || e.missingDependency !== undefined);
  return {
    installed: run.installed, extensions: result.extensions, imports: run.installed ? result.imports : [],
    loads: run.installed && linked, linked, ...(detail ? { detail } : {}),
  };
}

/** `pkg/sub/_core.cpython-314-wasm32-emscripten.so` → `pkg.sub._core`. */
function moduleName(path: string): string | undefined {
  const parts = path.split("/");
  const file = parts.pop()!;
  const stem = /^([A-Za-z_]\w*)\./.exec(file)?.[1];
  if (!stem || parts.some((p) => !/^[A-Za-z_]\w*$/.test(p))) return undefined;
  return [...parts, stem].join(".");
}

function importProgram(extensions: { name: string; path: string }[], libraries: string[], topLevel: string[]): string {
  return `
import importlib, json, sys, types, os, sysconfig, ctypes
def missing_dependency(error, name):
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        missing = getattr(error, "name", None)
        if isinstance(error, ModuleNotFoundError) and missing and name != missing and not name.startswith(missing + "."):
            return missing
        error = error.__cause__ or error.__context__
    return None
def attempt(name, stub_parents, expected_file=None):
    try:
        if stub_parents:
            parts = name.split(".")
            for i in range(1, len(parts)):
                parent = ".".join(parts[:i])
                if parent not in sys.modules:
                    paths = [os.path.join(p, *parts[:i]) for p in sys.path if os.path.isdir(os.path.join(p, *parts[:i]))]
                    stub = types.ModuleType(parent)
                    stub.__path__ = paths
                    sys.modules[parent] = stub
        module = importlib.import_module(name)
        found = getattr(module, "__file__", None)
        if expected_file and (not found or os.path.basename(found) != os.path.basename(expected_file)):
            return {"module": name, "ok": False, "error": f"ImportError: {name} resolved to {found or 'a namespace package'}, not {expected_file}"}
        return {"module": name, "ok": True}
    except BaseException as error:
        result = {"module": name, "ok": False, "error": f"{type(error).__name__}: {error}"[:500]}
        dependency = missing_dependency(error, name)
        if dependency:
            result["missingDependency"] = dependency
        return result
def load_library(path):
    try:
        found = [os.path.join(p, path) for p in sys.path if os.path.isfile(os.path.join(p, path))]
        if not found:
            raise FileNotFoundError(f"{path} is not on sys.path")
        ctypes.CDLL(found[0])
        return {"module": path, "ok": True}
    except BaseException as error:
        return {"module": path, "ok": False, "error": f"{type(error).__name__}: {error}"[:500]}
extensions = [attempt(e["name"], True, e["path"]) for e in ${JSON.stringify(extensions)}]
extensions += [load_library(p) for p in ${JSON.stringify(libraries)}]
for n in list(sys.modules):
    if any(n == e or n.startswith(e + ".") for e in ${JSON.stringify(topLevel)}):
        del sys.modules[n]
imports = [attempt(n, False) for n in ${JSON.stringify(topLevel)}]
print("KILN-LOAD " + json.dumps({"extensions": extensions, "imports": imports}))
`;
}
