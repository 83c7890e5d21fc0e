import { KilnError } from "../core/index.js";
import { digestHex, legacyDigestHex, legacyHashes, strongestHash } from "../cache/index.js";

/**
 * Checks `bytes` against the strongest verifiable hash in `hashes` (a legacy one, such as
 * `#md5=` on an old index or in a direct reference, when there is no other and the host can
 * compute it, as pip checks it) and returns their sha256 (computed anyway, for the
 * content-addressed cache). Throws `hashMismatch` naming the URL and both digests.
 *
 * @example
 * const sha256 = await verifyHashes(bytes, file.hashes, file.url);
 */
export async function verifyHashes(bytes: Uint8Array, hashes: Record<string, string>, url: string): Promise<string> {
  const sha256 = await digestHex("sha256", bytes);
  const expected = strongestHash(hashes) ?? (await legacyHash(hashes, bytes));
  if (!expected) return sha256;
  const [name, digest, known] = expected;
  const actual = known ?? (name === "sha256" ? sha256 : await digestHex(name as "sha384" | "sha512", bytes));
  if (actual !== digest.toLowerCase()) {
    throw new KilnError("hashMismatch", `${url} does not match its ${name} hash: expected ${digest}, got ${actual}`, {
      hint: "The download was corrupted, or the index or a proxy changed the file; if it persists, report it to the index's operator",
    });
  }
  return sha256;
}

/** The first legacy hash in `hashes` that can be computed here, with the file's digest by it. */
async function legacyHash(hashes: Record<string, string>, bytes: Uint8Array): Promise<[string, string, string] | undefined> {
  for (const name of legacyHashes) {
    if (!hashes[name]) continue;
    const actual = await legacyDigestHex(name, bytes);
    if (actual !== undefined) return [name, hashes[name], actual];
  }
  return undefined;
}
