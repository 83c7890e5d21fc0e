import type { PythonRuntime } from "./python-runtime.js";

// py_compile as pip's install step uses it (through compileall): __pycache__/NAME.TAG.pyc beside
// each source, timestamp-validated unless SOURCE_DATE_EPOCH asks for checked hashes. A file that
// does not compile (such files exist in real wheels) is left to be compiled on import, as pip does.
const compileSource = String.raw`
import py_compile

def _compile_modules(paths):
    failed = []
    for path in paths:
        try:
            py_compile.compile(path, doraise=True)
        except (py_compile.PyCompileError, OSError, ValueError):
            failed.append(path)
    return failed

_compile_modules(paths)
`;

/**
 * Byte-compiles source files the runtime can reach (host paths, once the host file system is
 * mounted) into their `__pycache__`, as pip does after an install. Returns the paths that did not
 * compile.
 *
 * @example
 * runtime.mountHostFileSystem(host);
 * const failed = compileModules(runtime, ["/work/.venv/lib/python3.14/site-packages/six.py"]);
 */
export function compileModules(runtime: PythonRuntime, paths: string[]): string[] {
  if (paths.length === 0) return [];
  const namespace = runtime.pyodide.toPy({ paths });
  const failed = runtime.pyodide.runPython(compileSource, { globals: namespace }) as { toJs(): unknown } | undefined;
  const list = failed?.toJs();
  return Array.isArray(list) ? list.map(String) : [];
}
