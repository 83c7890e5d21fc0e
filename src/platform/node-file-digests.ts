import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FileDigests } from "../installer/index.js";
import { kilnCacheFolders } from "./kiln-cache-folders.js";

interface Remembered {
  path: string;
  /** Device, inode, size, and modification and change times in nanoseconds, as decimal strings. */
  identity: string;
  sha256: string;
}

/**
 * What identifies one version of a file: its device, inode, size, and modification and change
 * times in nanoseconds (a rewrite or replacement changes at least one; no user can set the change
 * time back); undefined when it is not a regular file.
 *
 * @example
 * fileIdentity("/wheels/demo-1.0-py3-none-any.whl"); // "2049:1234:5120:1700000000000000000:1700000000000000000"
 */
export function fileIdentity(path: string): string | undefined {
  const stat = statSync(path, { bigint: true, throwIfNoEntry: false });
  if (stat === undefined || !stat.isFile()) return undefined;
  return [stat.dev, stat.ino, stat.size, stat.mtimeNs, stat.ctimeNs].join(":");
}

/**
 * {@link FileDigests} kept in kiln's cache directory (`<cacheDir>/file-digests-v1/<ab>/<key>.json`,
 * keyed by the sha256 of the file's path): a digest is returned only while the file's device,
 * inode, size, modification time and change time (which no user can set back) are those it was
 * recorded with.
 *
 * @example
 * const digests = nodeFileDigests(kilnCacheDir(process.env));
 * await digests.get("file:///wheels/demo-1.0-py3-none-any.whl"); // undefined until a read was recorded
 */
export function nodeFileDigests(cacheDir: string): FileDigests {
  const recordPath = (path: string) => {
    const key = createHash("sha256").update(path).digest("hex");
    return join(cacheDir, kilnCacheFolders.fileDigests, key.slice(0, 2), `${key}.json`);
  };
  return {
    async get(url) {
      const path = fileURLToPath(url);
      const identity = fileIdentity(path);
      if (identity === undefined) return undefined;
      let remembered: Remembered;
      try {
        remembered = JSON.parse(readFileSync(recordPath(path), "utf8")) as Remembered;
      } catch {
        return undefined;
      }
      const valid = remembered?.path === path && remembered.identity === identity && /^[0-9a-f]{64}$/.test(remembered.sha256 ?? "");
      return valid ? remembered.sha256 : undefined;
    },
    async beforeRead(url) {
      const path = fileURLToPath(url);
      const before = fileIdentity(path);
      return async (sha256) => {
        // Bytes read while the file was being replaced must not be remembered for either version.
        if (before === undefined || fileIdentity(path) !== before) return;
        const target = recordPath(path);
        mkdirSync(dirname(target), { recursive: true });
        // Written whole and renamed, so a reader never sees half a record.
        const temporary = `${target}.${process.pid}.${Date.now().toString(36)}`;
        writeFileSync(temporary, JSON.stringify({ path, identity: before, sha256 } satisfies Remembered));
        renameSync(temporary, target);
      };
    },
  };
}
