/** Hash names kiln can verify, strongest first (`crypto.subtle` has no MD5). */
export const verifiableHashes = ["sha512", "sha384", "sha256"] as const;

/** A hash name kiln can compute. */
export type HashName = (typeof verifiableHashes)[number];

const subtleNames: Record<HashName, string> = { sha256: "SHA-256", sha384: "SHA-384", sha512: "SHA-512" };

/**
 * Weaker hash names an index page or a URL fragment may still carry (pip accepts any hashlib
 * name); checked only when no {@link verifiableHashes} name is given, and only where the host
 * computes them (`crypto.subtle` has no MD5).
 */
export const legacyHashes = ["sha224", "sha1", "md5"] as const;

/** A legacy hash name ({@link legacyHashes}). */
export type LegacyHashName = (typeof legacyHashes)[number];

/** A host's synchronous digest: the lower-case hex digest of `bytes`. */
export type HostDigest = (name: HashName | LegacyHashName, bytes: Uint8Array) => string;

let hostDigest: HostDigest | undefined;

/**
 * Makes {@link digestHex} use a host's own hash function instead of `crypto.subtle` (undefined
 * goes back to it). Node's `crypto.subtle` copies its input for a background job and settles a
 * promise per call; its synchronous `node:crypto` hash costs a third of that on the main
 * thread, and kiln hashes every cache record it reads and every index page it downloads. A
 * process-wide setting, not an option threaded through every caller: the answer is the same
 * either way, only its cost differs.
 *
 * @example
 * useHostDigest((name, bytes) => createHash(name).update(bytes).digest("hex")); // in src/platform
 */
export function useHostDigest(digest: HostDigest | undefined): void {
  hostDigest = digest;
}

/**
 * The lower-case hex digest of `bytes`: with the host's digest when one was given
 * ({@link useHostDigest}), else the web-standard `crypto.subtle`.
 *
 * @example
 * await digestHex("sha256", new TextEncoder().encode("abc"));
 * // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 */
export async function digestHex(name: HashName, bytes: Uint8Array): Promise<string> {
  if (hostDigest) return hostDigest(name, bytes);
  const digest = await crypto.subtle.digest(subtleNames[name], bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The lower-case hex digest of `bytes` by a legacy hash, or undefined where it cannot be computed
 * (MD5 and SHA-224 without a host digest).
 *
 * @example
 * await legacyDigestHex("md5", bytes); // "900150983cd24fb0d6963f7d28e17f72" in Node
 */
export async function legacyDigestHex(name: LegacyHashName, bytes: Uint8Array): Promise<string | undefined> {
  if (hostDigest) return hostDigest(name, bytes);
  if (name !== "sha1") return undefined;
  const digest = await crypto.subtle.digest("SHA-1", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The strongest hash in `hashes` that kiln can verify, or undefined when there is none (only
 * MD5, or nothing).
 *
 * @example
 * strongestHash({ md5: "…", sha256: "ab…" }); // ["sha256", "ab…"]
 */
export function strongestHash(hashes: Record<string, string>): [HashName, string] | undefined {
  for (const name of verifiableHashes) if (hashes[name]) return [name, hashes[name]!];
  return undefined;
}
