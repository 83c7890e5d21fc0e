/**
 * `length` random characters of `[0-9a-z]`, for what must not collide with another process's
 * (temporary files and directories, lock nonces) and is never a secret. From `Math.random`, which
 * V8 seeds per process from the operating system's entropy: `crypto.randomUUID` would do as
 * well, but its first use in a Node process loads WebCrypto (~2 ms of a warm `kiln pip install`).
 *
 * @example
 * `tx-${Date.now().toString(36)}-${randomName(8)}`; // "tx-mwrfyitn-68dd22cb"
 */
export function randomName(length = 8): string {
  let name = "";
  while (name.length < length) name += Math.random().toString(36).slice(2);
  return name.slice(0, length);
}
