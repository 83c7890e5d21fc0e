import { digestHex, verifiableHashes, type HashName } from "../cache/index.js";
import { KilnError } from "../core/index.js";

/**
 * Checks a downloaded file against the hex digests its index published (`#sha256=…`). Every
 * algorithm kiln can compute is checked; at least one must be present.
 *
 * @example
 * await verifyFileHashes(bytes, { sha256: "e3b0c442…" }, "pkg-1.0-py3-none-any.whl");
 */
export async function verifyFileHashes(bytes: Uint8Array, expected: Record<string, string>, filename: string): Promise<void> {
  const usable = Object.entries(expected).filter(([algorithm]) => (verifiableHashes as readonly string[]).includes(algorithm.toLowerCase()));
  if (usable.length === 0) {
    throw new KilnError("hashMismatch", `Cannot verify ${filename}: no supported hash among ${Object.keys(expected).join(", ") || "none"}`, {
      hint: "kiln checks sha256, sha384 or sha512 digests",
    });
  }
  for (const [algorithm, digest] of usable) {
    // digestHex: the host's own hash where the platform installed one (useHostDigest).
    const actual = await digestHex(algorithm.toLowerCase() as HashName, bytes);
    if (actual !== digest.toLowerCase()) {
      throw new KilnError("hashMismatch", `Cannot install ${filename}: its ${algorithm} is ${actual}, but the index says ${digest}`, {
        hint: "The download is corrupt or was tampered with; clear the cache and download it again",
      });
    }
  }
}
