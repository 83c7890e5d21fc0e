/**
 * The standard library archive of a runtime restored from a memory snapshot, read when Python
 * first opens it rather than at every start. Pyodide reads the whole archive (7.9 MB, byte-compiled)
 * through `fs/promises` in 512 KiB steps on the thread that runs Python, then copies it into its
 * in-memory file system, before every start; a restored interpreter has its imports done and
 * zipimport's directory of the archive cached, so a short program often never opens it. Here
 * Pyodide's read gets an empty file (see `interceptReadFile`), and once its module is set up the
 * in-memory file's contents become a getter that reads the host file on first access, with the
 * file's real size from the start, so `stat`, `open` and reads see the same file as before.
 */
import { readFileSync, statSync, writeSync } from "node:fs";

/** What Pyodide 314's `pyodide.mjs` does with the standard library, verbatim: where it writes it. */
const stdlibWrite = "n.FS.writeFile(`/lib/python${i}${s}.zip`,r)";

/**
 * Whether this runtime's loader writes the standard library where {@link deferStandardLibrary}
 * looks for it (Pyodide 314's text, exactly); for any other, the archive is read as before.
 *
 * @example
 * const lazy = lazyStdlibSupported(readFileSync(join(directory, "pyodide.mjs"), "utf8"));
 */
export function lazyStdlibSupported(loaderText: string): boolean {
  return loaderText.includes(stdlibWrite);
}

/** What {@link deferStandardLibrary} uses of an Emscripten module. */
export interface ModuleWithFileSystem {
  FS?: { lookupPath(path: string): { node: MemfsNode } };
  API?: { pyVersionTuple?: number[] };
}

interface MemfsNode {
  contents: Uint8Array | null;
  usedBytes: number;
}

/**
 * Makes the standard library archive Pyodide wrote empty (`/lib/pythonXY.zip`) read `hostPath`
 * when its contents are first used. Returns false, changing nothing, when the archive is not
 * there or not empty (Pyodide read the file itself).
 *
 * @example
 * deferStandardLibrary(module, "/cache/stdlib/stdlib-0a1b.zip", { debug: false });
 */
export function deferStandardLibrary(module: ModuleWithFileSystem, hostPath: string, options: { debug: boolean }): boolean {
  const [major, minor] = module.API?.pyVersionTuple ?? [];
  if (!module.FS || major === undefined || minor === undefined) return false;
  let node: MemfsNode;
  try {
    node = module.FS.lookupPath(`/lib/python${major}${minor}.zip`).node;
  } catch {
    return false;
  }
  if (node.usedBytes !== 0 || (node.contents !== null && node.contents.length !== 0)) return false;
  const size = statSync(hostPath).size;
  let contents: Uint8Array | undefined;
  Object.defineProperty(node, "contents", {
    configurable: true,
    enumerable: true,
    get: () => {
      if (contents === undefined) {
        contents = readFileSync(hostPath);
        if (options.debug) writeSync(2, `kiln debug: read the standard library ${hostPath} at its first use\n`);
      }
      return contents;
    },
    set: (value: Uint8Array) => {
      contents = value;
    },
  });
  node.usedBytes = size;
  return true;
}
