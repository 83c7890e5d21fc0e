import type { ZipArchive } from "../archive/index.js";

/**
 * The top-level import names a wheel provides, as `pyodide-lock.json`'s `imports` lists them
 * (Pyodide preloads a package when one of them is imported): the lines of
 * `*.dist-info/top_level.txt` when the wheel has one; otherwise, as pyodide-lock's
 * `parse_top_level_import_name` does, top-level `.py` modules and top-level directories with a
 * valid package name that hold Python code, plus top-level extension modules (`.so`). Sorted,
 * without duplicates.
 *
 * @example
 * await wheelImports(await openZip(bytesSource(wheelBytes))); // ["attr", "attrs"]
 */
export async function wheelImports(archive: ZipArchive): Promise<string[]> {
  const topLevel = archive.entries.find((entry) => /^[^/]+\.dist-info\/top_level\.txt$/.test(entry.name));
  if (topLevel) {
    const text = new TextDecoder().decode(await archive.readEntry(topLevel));
    const names = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(line));
    if (names.length > 0) return [...new Set(names)].sort();
  }
  return importsFromNames(archive.entries.map((entry) => entry.name));
}

/**
 * The import names implied by a wheel's file names alone (no `top_level.txt`).
 *
 * @example
 * importsFromNames(["six.py", "pkg/__init__.py", "pkg-1.0.dist-info/METADATA"]); // ["pkg", "six"]
 */
export function importsFromNames(names: readonly string[]): string[] {
  const found = new Set<string>();
  for (const name of names) {
    const segments = name.split("/");
    if (segments.length === 1) {
      const module = /^([A-Za-z_][A-Za-z0-9_]*)(?:\.py|(?:\.[A-Za-z0-9_-]+)*\.so)$/.exec(name)?.[1];
      if (module) found.add(module);
      continue;
    }
    // A package: a directory whose path down to a .py file has only valid package names.
    const directories = segments.slice(0, -1);
    if (segments.at(-1)!.endsWith(".py") && directories.every((d) => !/[.\- ]/.test(d) && d !== "")) found.add(directories[0]!);
  }
  return [...found].sort();
}
