import { KilnError } from "../core/index.js";
import { digestHex, strongestHash } from "../cache/index.js";

/**
 * Checks `bytes` against the strongest verifiable hash in `hashes` and returns their sha256
 * (computed anyway, for the content-addressed cache). Throws `hashMismatch` naming the URL and
 * both digests.
 *
 * @example
 * const sha256 = await verifyHashes(bytes, file.hashes, file.url);
 */
export async function verifyHashes(bytes: Uint8Array, hashes: Record<string, string>, url: string): Promise<string> {
  const sha256 = await digestHex("sha256", bytes);
  const expected = strongestHash(hashes);
  if (!expected) return sha256;
  const [name, digest] = expected;
  const actual = name === "sha256" ? sha256 : await digestHex(name, bytes);
  if (actual !== digest.toLowerCase()) {
    throw new KilnError("hashMismatch", `${url} does not match its ${name} hash: expected ${digest}, got ${actual}`, {
      hint: "The download was corrupted, or the index or a proxy changed the file; if it persists, report it to the index's operator",
    });
  }
  return sha256;
}
