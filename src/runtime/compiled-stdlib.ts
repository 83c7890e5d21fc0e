import { silentReporter, type Reporter } from "../core/index.js";
import type { PythonRuntime } from "./python-runtime.js";
import type { RuntimeHost, RuntimeSpec } from "./runtime-host.js";
import { hashString } from "./snapshot-key.js";
import { startRuntime } from "./start-runtime.js";

/** Bump when the compiled archive's layout or how it is compiled changes. */
const compiledStdlibFormat = 1;

// Runs inside the runtime. Each module gets a PEP 552 unchecked-hash .pyc beside its .py, so the
// archive's times never matter and zipimport (which tries .pyc before .py) never compiles the
// standard library again; the .py files stay for tracebacks and inspect.getsource(). Code objects
// carry the same file names as when zipimport compiles the source itself, because Pyodide installs
// whichever archive it is given at the same path. A module that does not compile (test data with
// bad syntax on purpose) stays source-only.
const compileSource = String.raw`
import importlib.util, marshal, sys, zipfile, zipimport

def _compile_stdlib(output):
    archive = next(entry for entry in sys.path if entry.endswith(".zip"))
    flags = (0b01).to_bytes(4, "little")
    compiled = 0
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(output, "w") as target:
        names = set(source.namelist())
        for info in source.infolist():
            data = source.read(info)
            entry = zipfile.ZipInfo(info.filename, info.date_time)
            entry.external_attr = info.external_attr
            kind = zipfile.ZIP_STORED if info.is_dir() else zipfile.ZIP_DEFLATED
            target.writestr(entry, data, compress_type=kind, compresslevel=1)
            name = info.filename
            if not name.endswith(".py") or name + "c" in names:
                continue
            try:
                code = compile(data, archive + "/" + name, "exec", dont_inherit=True, optimize=0)
            except (SyntaxError, ValueError):
                continue
            pyc = importlib.util.MAGIC_NUMBER + flags + importlib.util.source_hash(data) + marshal.dumps(code)
            target.writestr(zipfile.ZipInfo(name + "c", info.date_time), pyc, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
            compiled += 1
    # The archive must load the way Python will load it.
    if compiled and zipimport.zipimporter(output).get_code("os") is None:
        raise RuntimeError("the compiled archive does not load")
    return compiled

_compile_stdlib(output)
`;

/**
 * The name under which a host keeps the compiled standard library of a runtime build.
 *
 * @example
 * compiledStdlibName(files.buildIdentity); // "stdlib-0f3a9c0e2b7d41.zip"
 */
export function compiledStdlibName(buildIdentity: string): string {
  return `stdlib-${hashString(JSON.stringify({ format: compiledStdlibFormat, build: buildIdentity }))}.zip`;
}

/**
 * Byte-compiles a started runtime's standard library: a copy of its archive (`python_stdlib.zip`,
 * which Pyodide ships as `.py` files only, so every process compiles each module it imports)
 * with a `.pyc` beside each module. Returns the new archive's bytes and how many modules it
 * compiled (0 when the archive already held bytecode).
 *
 * @example
 * const { archive } = compileStdlib(await startRuntime(host));
 */
export function compileStdlib(runtime: PythonRuntime): { archive: Uint8Array; modules: number } {
  const fs = runtime.pyodide.FS as { readFile(path: string): Uint8Array; unlink(path: string): void };
  const output = `/tmp/kiln-stdlib-${Math.random().toString(36).slice(2)}.zip`;
  const namespace = runtime.pyodide.toPy({ output });
  try {
    const modules = Number(runtime.pyodide.runPython(compileSource, { globals: namespace }));
    return { archive: fs.readFile(output), modules };
  } finally {
    try {
      fs.unlink(output);
    } catch {
      // Not written: the compile failed, and its error is on its way up.
    }
  }
}

/**
 * Makes sure the host keeps a byte-compiled standard library for a runtime build (see
 * {@link compileStdlib}), compiling it when it has none: once per build, in a runtime started for
 * it. Later starts find it through `RuntimeFiles.stdlib` and give it to Pyodide instead of the
 * runtime's own archive. Returns what it found or did; a host without a store for it is left
 * as it is.
 *
 * @example
 * await ensureCompiledStdlib(host, { runtime: { kind: "bundled" } }); // "compiled", then "present"
 */
export async function ensureCompiledStdlib(
  host: RuntimeHost,
  options: { runtime?: RuntimeSpec; reporter?: Reporter } = {},
): Promise<"present" | "compiled" | "unneeded"> {
  const reporter = options.reporter ?? silentReporter;
  const spec = options.runtime ?? { kind: "bundled" };
  const files = await host.locateRuntime(spec);
  if (files.stdlib) return "present";
  if (!host.compiledStdlibs) return "unneeded";
  const started = host.now();
  reporter.info(`Byte-compiling the standard library of Pyodide ${files.pyodideVersion} (once per runtime)`);
  // No memory snapshot: one of a start with the runtime's own archive is of no use once this one exists.
  const runtime = await startRuntime(host, { runtime: spec, reporter, snapshot: false });
  // Kept even when nothing needed compiling, so that the next venv does not look again.
  const { archive, modules } = compileStdlib(runtime);
  await host.compiledStdlibs.write(compiledStdlibName(files.buildIdentity), archive);
  reporter.debug(`Compiled ${modules} modules of the standard library (${((host.now() - started) / 1000).toFixed(1)} s)`);
  return "compiled";
}
