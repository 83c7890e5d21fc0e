/**
 * Whether two byte arrays hold the same bytes. A plain loop: the isomorphic layers have no
 * `Buffer.compare`, and where a native comparison matters (zip entries of megabytes) the platform
 * injects one (`ZipCodecs.equal`).
 *
 * @example
 * sameBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2])); // true
 * sameBytes(new Uint8Array([1]), new Uint8Array([1, 0])); // false
 */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}
