import { createHash, randomBytes } from "node:crypto";
import { zipSync } from "fflate";

/** sha256 hex of bytes or text. */
export function sha256(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The METADATA text of a synthetic wheel. */
export function metadataText(name: string, version: string, requires: string[] = []): string {
  return [`Metadata-Version: 2.1`, `Name: ${name}`, `Version: ${version}`, ...requires.map((r) => `Requires-Dist: ${r}`), "", ""].join("\n");
}

/**
 * A real wheel (zip) with `padding` bytes of incompressible payload before the `.dist-info`
 * files, as real wheels lay them out.
 */
export function makeWheel(options: { name: string; version: string; requires?: string[]; padding?: number }): Uint8Array {
  const distInfo = `${options.name.replace(/-/g, "_")}-${options.version}.dist-info`;
  const encoder = new TextEncoder();
  return zipSync({
    [`${options.name.replace(/-/g, "_")}/payload.bin`]: [new Uint8Array(randomBytes(options.padding ?? 1024)), { level: 0 }],
    [`${distInfo}/METADATA`]: encoder.encode(metadataText(options.name, options.version, options.requires)),
    [`${distInfo}/WHEEL`]: encoder.encode("Wheel-Version: 1.0\nGenerator: kiln-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
    [`${distInfo}/RECORD`]: encoder.encode(""),
  });
}
