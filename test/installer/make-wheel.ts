import { createHash } from "node:crypto";
import { zipSync, type Zippable } from "fflate";

/** Options for {@link makeWheel}: a synthetic wheel whose every part a test can choose or break. */
export interface MakeWheelOptions {
  name: string;
  version: string;
  /** Files by archive path (outside `.dist-info`), content as text or bytes. */
  files?: Record<string, string | Uint8Array>;
  /** Paths to mark executable in the zip's external attributes. */
  executable?: string[];
  entryPoints?: string;
  wheelVersion?: string;
  rootIsPurelib?: boolean;
  /** Change RECORD after it is computed (to corrupt hashes, drop rows, …). */
  editRecord?: (record: string) => string;
  /** Leave RECORD out entirely. */
  withoutRecord?: boolean;
  /** Requires-Dist lines for METADATA. */
  requires?: string[];
  /** The wheel's tag (default py3-none-any). */
  tag?: string;
  /** Entries added after RECORD is computed, unlisted (e.g. path traversal attempts). */
  extra?: Record<string, string | Uint8Array>;
}

const encoder = new TextEncoder();
const bytesOf = (data: string | Uint8Array) => (typeof data === "string" ? encoder.encode(data) : data);
const hashOf = (data: Uint8Array) => createHash("sha256").update(data).digest("base64url");

/**
 * Builds a wheel in memory with a correct RECORD (unless told otherwise).
 *
 * @example
 * const { bytes, filename } = makeWheel({ name: "demo", version: "1.0", files: { "demo/__init__.py": "" } });
 */
export function makeWheel(options: MakeWheelOptions): { bytes: Uint8Array; filename: string } {
  const distInfo = `${options.name.replace(/[-_.]+/g, "_")}-${options.version}.dist-info`;
  const files: Record<string, Uint8Array> = {};
  for (const [path, data] of Object.entries(options.files ?? {})) files[path] = bytesOf(data);
  files[`${distInfo}/METADATA`] = encoder.encode(
    `Metadata-Version: 2.1\nName: ${options.name}\nVersion: ${options.version}\n${(options.requires ?? []).map((r) => `Requires-Dist: ${r}\n`).join("")}\n`,
  );
  files[`${distInfo}/WHEEL`] = encoder.encode(
    `Wheel-Version: ${options.wheelVersion ?? "1.0"}\nGenerator: kiln-tests\nRoot-Is-Purelib: ${options.rootIsPurelib ?? true}\nTag: ${options.tag ?? "py3-none-any"}\n`,
  );
  if (options.entryPoints !== undefined) files[`${distInfo}/entry_points.txt`] = encoder.encode(options.entryPoints);
  let record = Object.entries(files).map(([path, data]) => `${path},sha256=${hashOf(data)},${data.length}\n`).join("") + `${distInfo}/RECORD,,\n`;
  if (options.editRecord) record = options.editRecord(record);
  if (!options.withoutRecord) files[`${distInfo}/RECORD`] = encoder.encode(record);
  for (const [path, data] of Object.entries(options.extra ?? {})) files[path] = bytesOf(data);
  const zippable: Zippable = {};
  for (const [path, data] of Object.entries(files)) {
    const mode = options.executable?.includes(path) ? 0o100755 : 0o100644;
    zippable[path] = [data, { os: 3, attrs: (mode << 16) >>> 0 }];
  }
  return { bytes: zipSync(zippable, { level: 6, mtime: new Date(2020, 0, 1) }), filename: `${options.name.replace(/[-_.]+/g, "_")}-${options.version}-${options.tag ?? "py3-none-any"}.whl` };
}
