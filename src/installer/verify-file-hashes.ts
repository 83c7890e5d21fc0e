import { KilnError } from "../core/index.js";

const subtleNames: Record<string, string> = { sha256: "SHA-256", sha384: "SHA-384", sha512: "SHA-512" };

function hex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Checks a downloaded file against the hex digests its index published (`#sha256=…`). Every
 * algorithm kiln can compute is checked; at least one must be present.
 *
 * @example
 * await verifyFileHashes(bytes, { sha256: "e3b0c442…" }, "pkg-1.0-py3-none-any.whl");
 */
export async function verifyFileHashes(bytes: Uint8Array, expected: Record<string, string>, filename: string): Promise<void> {
  const usable = Object.entries(expected).filter(([algorithm]) => algorithm.toLowerCase() in subtleNames);
  if (usable.length === 0) {
    throw new KilnError("hashMismatch", `Cannot verify ${filename}: no supported hash among ${Object.keys(expected).join(", ") || "none"}`, {
      hint: "kiln checks sha256, sha384 or sha512 digests",
    });
  }
  for (const [algorithm, digest] of usable) {
    const actual = hex(await crypto.subtle.digest(subtleNames[algorithm.toLowerCase()]!, bytes as Uint8Array<ArrayBuffer>));
    if (actual !== digest.toLowerCase()) {
      throw new KilnError("hashMismatch", `Cannot install ${filename}: its ${algorithm} is ${actual}, but the index says ${digest}`, {
        hint: "The download is corrupt or was tampered with; clear the cache and download it again",
      });
    }
  }
}
