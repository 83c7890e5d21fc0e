import { KilnError } from "../core/index.js";

/** A RECORD hash: `sha256=<urlsafe-base64-nopad digest>` split in two. */
export interface RecordHash {
  algorithm: string;
  /** URL-safe base64 without `=` padding, as the wheel spec writes it. */
  digest: string;
}

// crypto.subtle's names for the hashlib algorithms it implements. The wheel spec requires
// sha256 or stronger; sha1 is only here so an old RECORD can still be read and reported.
const subtleNames: Record<string, string> = { sha1: "SHA-1", sha256: "SHA-256", sha384: "SHA-384", sha512: "SHA-512" };

/** The algorithms {@link recordHash} can compute. */
export const recordHashAlgorithms: readonly string[] = Object.keys(subtleNames);

/**
 * Encodes bytes as URL-safe base64 without padding.
 *
 * @example
 * urlsafeBase64(new Uint8Array([251, 255])); // "-_8"
 */
export function urlsafeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Hashes bytes the way RECORD files do (https://packaging.python.org/en/latest/specifications/recording-installed-packages/#the-record-file).
 *
 * @example
 * await recordHash(new TextEncoder().encode("hello\n")); // { algorithm: "sha256", digest: "WJG1tSLV3whtD_CxEPvZ0hu0_HFjrzTQgoai6Eb2vgM" }
 */
export async function recordHash(bytes: Uint8Array, algorithm = "sha256"): Promise<RecordHash> {
  const subtleName = subtleNames[algorithm];
  if (subtleName === undefined) {
    throw new KilnError("unsupportedHashAlgorithm", `Cannot compute a "${algorithm}" hash`, {
      hint: `Supported algorithms: ${recordHashAlgorithms.join(", ")}`,
    });
  }
  const digest = await crypto.subtle.digest(subtleName, bytes as Uint8Array<ArrayBuffer>);
  return { algorithm, digest: urlsafeBase64(new Uint8Array(digest)) };
}

/**
 * Parses `algorithm=digest` as found in RECORD's second column; padding is dropped so digests
 * compare equal however they were written.
 *
 * @example
 * parseRecordHash("sha256=abc_-"); // { algorithm: "sha256", digest: "abc_-" }
 */
export function parseRecordHash(text: string): RecordHash {
  const match = /^([a-z0-9_]+)=([A-Za-z0-9_-]+)=*$/.exec(text);
  if (match === null) {
    throw new KilnError("invalidRecord", `Cannot parse RECORD hash "${text}": expected algorithm=urlsafe-base64-digest`, {
      hint: "RECORD hashes look like sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU",
    });
  }
  return { algorithm: match[1]!, digest: match[2]! };
}

/**
 * Formats a hash for RECORD's second column.
 *
 * @example
 * formatRecordHash({ algorithm: "sha256", digest: "abc" }); // "sha256=abc"
 */
export function formatRecordHash(hash: RecordHash): string {
  return `${hash.algorithm}=${hash.digest}`;
}
