import { createHash } from "node:crypto";
import { zipSync } from "fflate";

/** Options for {@link buildWheel}: how to damage the wheel after writing a correct RECORD. */
export interface BuildWheelOptions {
  /** Files whose content changes after RECORD is written (hash mismatch). */
  alter?: string[];
  /** Files left out of the archive but kept in RECORD. */
  drop?: string[];
  /** Files added to the archive but not to RECORD. */
  extra?: Record<string, string | Uint8Array>;
  /** Leave RECORD out entirely. */
  noRecord?: boolean;
  /** Tag for the WHEEL file (defaults to the file name's tags). */
  tag?: string;
}

/**
 * Builds a wheel (zip) in memory from a name and files, with a correct WHEEL and RECORD unless
 * told to tamper with them.
 *
 * @example
 * const bytes = buildWheel("spam-1.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl", { "spam/__init__.py": "" });
 */
export function buildWheel(filename: string, files: Record<string, string | Uint8Array>, options: BuildWheelOptions = {}): Uint8Array {
  const parts = filename.replace(/\.whl$/, "").split("-");
  const distInfo = `${parts[0]}-${parts[1]}.dist-info`;
  const tag = options.tag ?? parts.slice(-3).join("-");
  const all: Record<string, Uint8Array> = {};
  const encode = (value: string | Uint8Array) => (typeof value === "string" ? new TextEncoder().encode(value) : value);
  for (const [path, content] of Object.entries(files)) all[path] = encode(content);
  all[`${distInfo}/WHEEL`] = encode(`Wheel-Version: 1.0\nGenerator: kiln-tests\nRoot-Is-Purelib: false\nTag: ${tag}\n`);
  all[`${distInfo}/METADATA`] ??= encode(`Metadata-Version: 2.1\nName: ${parts[0]}\nVersion: ${parts[1]}\n`);
  const record = Object.entries(all).map(([path, bytes]) => `${path},sha256=${createHash("sha256").update(bytes).digest("base64url")},${bytes.length}`);
  if (!options.noRecord) all[`${distInfo}/RECORD`] = encode(`${[...record, `${distInfo}/RECORD,,`].join("\n")}\n`);
  for (const path of options.alter ?? []) all[path] = encode(`${new TextDecoder().decode(all[path])}# altered\n`);
  for (const path of options.drop ?? []) delete all[path];
  for (const [path, content] of Object.entries(options.extra ?? {})) all[path] = encode(content);
  return zipSync(all);
}
