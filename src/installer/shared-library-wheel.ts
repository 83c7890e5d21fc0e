import type { Zippable } from "fflate";
import { formatRecord, recordHash, safeEntryPath, type RecordRow } from "../archive/index.js";
import { KilnError } from "../core/index.js";
import type { DistributionFile } from "../index/index.js";

/** A wheel made from a Pyodide shared-library archive by {@link sharedLibraryWheel}. */
export interface SharedLibraryWheel {
  filename: string;
  wheel: Uint8Array;
}

// Fixed entry times: the same archive always makes the same wheel, so its sha256 (the unpacked
// cache's key) is stable.
const entryTime = new Date(Date.UTC(2020, 0, 1));

/**
 * Whether a file is a Pyodide repository package that is not a wheel but a zip of shared
 * libraries for the runtime's library directory (`package_type: shared_library`,
 * `install_dir: dynlib`).
 *
 * @example
 * isSharedLibraryArchive(file); // true for libgeos-3.12.1.zip from pyodide-lock.json
 */
export function isSharedLibraryArchive(file: DistributionFile): boolean {
  return file.pyodide !== undefined && file.pyodide.packageType === "shared_library";
}

/**
 * The wheel that installs a Pyodide shared-library archive into an environment as Pyodide's own
 * package loader does in a virtual environment (`DSO_DIR = <prefix>/lib`, see pyodide's
 * `_package_loader.py`): each file of the zip goes to `<prefix>/lib/<its path>` (the wheel's
 * `.data/data/lib/`), where kiln's runtime looks for libraries (`LD_LIBRARY_PATH`), and a
 * `.dist-info` records them, so `pip list`, `pip uninstall` and `pip sync` see the library like
 * any package. The archive must already be verified against the repository's sha256.
 *
 * @example
 * const { filename, wheel } = await sharedLibraryWheel(file, await source.fetchFile(file));
 */
export async function sharedLibraryWheel(file: DistributionFile, archive: Uint8Array): Promise<SharedLibraryWheel> {
  const info = file.pyodide;
  if (!info) throw new TypeError(`${file.filename} is not from a Pyodide repository`);
  // fflate is loaded here, not at start-up: every install loads this module, few meet such an
  // archive, and fflate's module set-up (tables, a worker_threads probe) costs ~9 ms of CPU.
  const { unzipSync, zipSync } = await import("fflate");
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(archive);
  } catch (error) {
    throw new KilnError("invalidWheel", `Cannot install ${file.filename}: not a readable zip of shared libraries (${String(error)})`, {
      hint: "The Pyodide repository's file is damaged; try again, or pass --no-pyodide-index",
      cause: error,
    });
  }
  const name = info.name.replace(/[-_.]+/g, "_");
  const stem = `${name}-${info.version.replace(/-/g, "_")}`;
  const files: Record<string, Uint8Array> = {};
  for (const [entry, bytes] of Object.entries(entries)) {
    if (entry.endsWith("/")) continue;
    files[`${stem}.data/data/lib/${safeEntryPath(entry)}`] = bytes;
  }
  const distInfo = `${stem}.dist-info`;
  const text = (value: string) => new TextEncoder().encode(value);
  files[`${distInfo}/METADATA`] = text(`Metadata-Version: 2.1\nName: ${info.name}\nVersion: ${info.version}\nSummary: Shared libraries from the Pyodide repository (${file.filename})\n`);
  // The archive is built for one runtime ABI; the tag says so only through the repository it came from.
  files[`${distInfo}/WHEEL`] = text("Wheel-Version: 1.0\nGenerator: kiln\nRoot-Is-Purelib: false\nTag: py3-none-any\n");
  const rows: RecordRow[] = [];
  for (const [path, bytes] of Object.entries(files)) rows.push({ path, hash: await recordHash(bytes), size: bytes.byteLength });
  rows.push({ path: `${distInfo}/RECORD` });
  files[`${distInfo}/RECORD`] = text(formatRecord(rows));
  const zippable: Zippable = {};
  for (const [path, bytes] of Object.entries(files)) zippable[path] = [bytes, { mtime: entryTime }];
  return { filename: `${stem}-py3-none-any.whl`, wheel: zipSync(zippable) };
}
