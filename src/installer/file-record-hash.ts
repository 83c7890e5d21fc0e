import { recordHash, urlsafeBase64, type RecordHash } from "../archive/index.js";
import { digestHex, verifiableHashes, type HashName } from "../cache/index.js";

/**
 * {@link recordHash} through the cache layer's {@link digestHex}, so that the host's synchronous
 * hash is used where the platform installed one (`useHostDigest`; Node's `node:crypto`): an install
 * hashes every file of a wheel it unpacks and every launcher it writes, and `crypto.subtle` copies
 * each input for a background job and settles a promise per call. Same answers either way.
 *
 * @example
 * await fileRecordHash(new TextEncoder().encode("hello\n")); // { algorithm: "sha256", digest: "WJG1tSLV3whtD_CxEPvZ0hu0_HwTQ1Uce_lGbuGzx6I" }
 */
export async function fileRecordHash(bytes: Uint8Array, algorithm = "sha256"): Promise<RecordHash> {
  if (!(verifiableHashes as readonly string[]).includes(algorithm)) return recordHash(bytes, algorithm);
  const hex = await digestHex(algorithm as HashName, bytes);
  const digest = new Uint8Array(hex.length / 2);
  for (let i = 0; i < digest.length; i++) digest[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return { algorithm, digest: urlsafeBase64(digest) };
}
