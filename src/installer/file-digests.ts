/**
 * Remembered sha256 digests of local files (`file:` URLs), so a wheel in a `--find-links`
 * directory that has not changed since kiln last hashed it is installed from the unpacked-wheel
 * cache without being read again. An implementation decides what "not changed" means; the Node one
 * (src/platform/node-file-digests.ts) compares device, inode, size and modification and change
 * times, as uv does for local wheels with their timestamps.
 *
 * @example
 * const known = await digests.get(url);
 * if (known === undefined) {
 *   const record = await digests.beforeRead(url);
 *   await record(await digestHex("sha256", await readBytes(url)));
 * }
 */
export interface FileDigests {
  /** The sha256 (hex) recorded for the file at `url`, if the file is unchanged since; else undefined. */
  get(url: string): Promise<string | undefined>;
  /**
   * Call before reading the file; the returned function records the sha256 of the bytes read,
   * unless the file changed in between (then it records nothing).
   */
  beforeRead(url: string): Promise<(sha256: string) => Promise<void>>;
}
