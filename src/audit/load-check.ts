import type { AuditReport, LoadResult } from "./audit-target-report.js";

/**
 * What `--load` needs from the host: the reference installer's decision, and a fresh runtime
 * with the wheel's files installed in which to run Python. The CLI implements it with pip and
 * the runtime package; tests can implement it with anything.
 */
export interface LoadHarness {
  /** Whether the reference installer (pip) accepts the wheel for the runtime, with its message. */
  installerAccepts(report: AuditReport): Promise<{ ok: boolean; detail?: string }>;
  /** Starts a fresh runtime, installs the wheel's files into site-packages, runs `code`, returns what it prints. */
  runWithWheel(report: AuditReport, code: string): Promise<string>;
}

/**
 * Ground truth for the static verdict: asks the reference installer whether it would install
 * the wheel, then, if so, installs it into a fresh runtime and imports each extension module
 * through the normal import system (parent packages are stubbed so their pure-Python
 * dependencies need not be installed; suffix rules still apply) and each top-level module.
 * When pip refuses the wheel its files are still unpacked and the extension modules tried, so
 * `linked` checks the static linking analysis even for a runtime the wheel was not built for.
 *
 * @example
 * report.load = await checkLoad(report, harness);
 */
export async function checkLoad(report: AuditReport, harness: LoadHarness): Promise<LoadResult> {
  const install = await harness.installerAccepts(report);
  const extensions = report.modules.filter((m) => m.role === "extension").map((m) => moduleName(m.path)).filter((n): n is string => n !== undefined);
  const output = await harness.runWithWheel(report, importProgram(extensions, install.ok ? report.topLevelModules : []));
  const line = output.split("\n").reverse().find((l) => l.startsWith("KILN-LOAD "));
  const detail = [install.detail, line ? undefined : output.slice(-2000)].filter(Boolean).join("\n");
  const result = line ? (JSON.parse(line.slice(10)) as { extensions: LoadResult["imports"]; imports: LoadResult["imports"] }) : { extensions: [], imports: [] };
  const linked = line !== undefined && result.extensions.every((e) => e.ok);
  return { installed: install.ok, extensions: result.extensions, imports: result.imports, loads: install.ok && linked, linked, ...(detail ? { detail } : {}) };
}

/** `pkg/sub/_core.cpython-314-wasm32-emscripten.so` → `pkg.sub._core`. */
function moduleName(path: string): string | undefined {
  const parts = path.split("/");
  const file = parts.pop()!;
  const stem = /^([A-Za-z_]\w*)\./.exec(file)?.[1];
  if (!stem || parts.some((p) => !/^[A-Za-z_]\w*$/.test(p))) return undefined;
  return [...parts, stem].join(".");
}

function importProgram(extensions: string[], topLevel: string[]): string {
  return `
import importlib, json, sys, types, site, os
def attempt(name, stub_parents):
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
        importlib.import_module(name)
        return {"module": name, "ok": True}
    except BaseException as error:
        return {"module": name, "ok": False, "error": f"{type(error).__name__}: {error}"[:500]}
extensions = [attempt(n, True) for n in ${JSON.stringify(extensions)}]
for n in list(sys.modules):
    if any(n == e or n.startswith(e + ".") for e in ${JSON.stringify(topLevel)}):
        del sys.modules[n]
imports = [attempt(n, False) for n in ${JSON.stringify(topLevel)}]
print("KILN-LOAD " + json.dumps({"extensions": extensions, "imports": imports}))
`;
}
