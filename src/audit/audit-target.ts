import { KilnError, isKilnError } from "../core/index.js";
import { bytesSource, openZip, safeEntryPath, type ZipCodecs } from "../archive/index.js";
import { isWasm } from "../wasm/index.js";
import type { Finding } from "./finding.js";

/** One file inside what is being audited. */
export interface AuditFile {
  /** Path inside the wheel or directory, `/`-separated. */
  path: string;
  size: number;
  read(): Promise<Uint8Array>;
}

/** What `kiln audit` looks at: a wheel, one module, or a directory of files. */
export interface AuditTarget {
  /** The path the user gave. */
  input: string;
  kind: "wheel" | "module" | "directory";
  /** The wheel's file name (for `wheel`), or a directory's `*.whl`-style name if it has one. */
  wheelFilename?: string;
  files: AuditFile[];
  /** Problems found while opening (unsafe entry names…), reported as findings. */
  findings: Finding[];
  /** Size and sha256 input bytes, for wheels and single modules. */
  bytes?: Uint8Array;
}

/**
 * Opens a wheel from its bytes. Entries with unsafe names (path traversal, absolute paths) are
 * kept out of the file list and become error findings; a zip that cannot be read at all is a
 * `KilnError` (`auditInput`), since nothing can be audited.
 *
 * `codecs` are the platform's native CRC-32 and inflater, when it has them.
 *
 * @example
 * const target = await openWheelTarget("dist/x-1.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl", bytes);
 */
export async function openWheelTarget(input: string, bytes: Uint8Array, options: { codecs?: ZipCodecs } = {}): Promise<AuditTarget> {
  let archive;
  try {
    archive = await openZip(bytesSource(bytes), options.codecs ? { codecs: options.codecs } : {});
  } catch (error) {
    if (!isKilnError(error)) throw error;
    throw new KilnError("auditInput", `Cannot audit "${input}": it is not a readable wheel (${error.message})`, {
      hint: "A wheel is a zip archive; re-download or rebuild it",
      cause: error,
    });
  }
  const findings: Finding[] = [];
  const files: AuditFile[] = [];
  for (const entry of archive.entries) {
    if (entry.isDirectory) continue;
    let path: string;
    try {
      path = safeEntryPath(entry.name);
    } catch (error) {
      if (!isKilnError(error)) throw error;
      findings.push({ code: "unsafePath", check: "record", severity: "error", effect: "install", message: error.message, file: entry.name });
      continue;
    }
    files.push({ path, size: entry.uncompressedSize, read: () => archive.readEntry(entry) });
  }
  const name = input.split(/[\\/]/).pop() ?? input;
  return { input, kind: "wheel", wheelFilename: name, files, findings, bytes };
}

/**
 * Wraps one WebAssembly module (a `.so` given directly).
 *
 * @example
 * const target = moduleTarget("build/_spam.cpython-314-wasm32-emscripten.so", bytes);
 */
export function moduleTarget(input: string, bytes: Uint8Array): AuditTarget {
  if (!isWasm(bytes)) {
    throw new KilnError("auditInput", `Cannot audit "${input}": it is neither a wheel nor a WebAssembly module`, {
      hint: "kiln audit takes .whl files, WebAssembly .so/.wasm files, or directories of them",
    });
  }
  const path = input.split(/[\\/]/).pop() ?? input;
  return { input, kind: "module", files: [{ path, size: bytes.length, read: async () => bytes }], findings: [], bytes };
}

/** True when a path names a WebAssembly module a loader would load (`.so`, `.wasm`). */
export function isModulePath(path: string): boolean {
  return /\.(so|wasm)(\.[\d.]+)?$/.test(path);
}
