import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/**
 * What identifies a file's content without reading it: device, inode, size, and the modification
 * and change times in nanoseconds. Writing the file changes its times; replacing it changes the
 * inode. The code caches of kiln's bundles and of Pyodide's glue are keyed by it, so a cache is
 * never used for a script other than the one it was made from.
 *
 * @example
 * fileIdentity(fstatSync(descriptor, { bigint: true })); // "2049:1234:1207520:1763781120123456789:1763781120123456789"
 */
export function fileIdentity(stat: { dev: bigint; ino: bigint; size: bigint; mtimeNs: bigint; ctimeNs: bigint }): string {
  return `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
}

/**
 * A file's bytes and its {@link fileIdentity}, from one descriptor, so that both describe the same
 * file even when it is replaced meanwhile. Throws Node's error when the file cannot be read.
 *
 * @example
 * const { bytes, identity } = readIdentifiedFile("/pkg/dist/bundle/kiln-cli.cjs");
 */
export function readIdentifiedFile(path: string): { bytes: Buffer; identity: string } {
  const descriptor = openSync(path, "r");
  try {
    const stat = fstatSync(descriptor, { bigint: true });
    const bytes = Buffer.allocUnsafe(Number(stat.size));
    let read = 0;
    while (read < bytes.length) {
      const count = readSync(descriptor, bytes, read, bytes.length - read, read);
      if (count === 0) break;
      read += count;
    }
    return { bytes: bytes.subarray(0, read), identity: fileIdentity(stat) };
  } finally {
    closeSync(descriptor);
  }
}
