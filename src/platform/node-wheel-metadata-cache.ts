import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DistributionFile } from "../index/index.js";
import type { WheelMetadataCache, WheelMetadataRecord } from "../resolver/index.js";
import { kilnCacheFolders } from "./kiln-cache-folders.js";
import { fileIdentity } from "./node-file-digests.js";

const storeName = "wheels.json";
/** The first line of the store: this, then the sha256 (hex) of the rest of the file. */
const header = "kiln-wheel-metadata 1 ";
/** Records kept: the oldest written go first; a typical environment's set is a few dozen. */
const defaultMaxEntries = 4096;

/** A {@link WheelMetadataCache} in one file, written back by {@link NodeWheelMetadataCache.flush}. */
export interface NodeWheelMetadataCache extends WheelMetadataCache {
  /** The store's path. */
  readonly path: string;
  /** Writes the records added since the store was read, merged with what is on disk now. */
  flush(): void;
}

/**
 * The resolver's {@link WheelMetadataCache} in kiln's cache directory, as one file
 * (`<cacheDir>/wheel-metadata-v1/wheels.json`) read once per process: resolving 31 cached wheels
 * then reads one file instead of 31 METADATA records and parses no Requires-Dist text.
 *
 * Keys: a local wheel (`file:` URL) by its URL and identity (device, inode, size, modification and
 * change times: a rewrite or replacement changes at least one), any other wheel by the sha256 its
 * index lists; a wheel with neither is not cached. A stale record (the file changed) is simply
 * never looked up again. The file carries the sha256 of its body, so a damaged store (truncated,
 * edited, half-written by a foreign tool) is ignored as a whole and rewritten with what this run
 * reads. Writes go to a temporary file renamed over the store, merged with the store as it is at
 * that moment, so concurrent kiln processes never leave a torn file; when two write at once the
 * last one's records win and the other's are read again next time.
 *
 * @example
 * const metadataCache = nodeWheelMetadataCache(commandCacheDir(context));
 * await planInstall(request, { source, target, installed, metadataCache });
 * metadataCache.flush();
 */
export function nodeWheelMetadataCache(cacheDir: string, options: { maxEntries?: number } = {}): NodeWheelMetadataCache {
  const path = join(cacheDir, kilnCacheFolders.wheelMetadata, storeName);
  const maxEntries = options.maxEntries ?? defaultMaxEntries;
  let records: Map<string, unknown> | undefined;
  const added = new Map<string, WheelMetadataRecord>();
  return {
    path,
    async keyOf(wheel: DistributionFile) {
      if (wheel.url.startsWith("file:")) {
        let identity: string | undefined;
        try {
          identity = fileIdentity(fileURLToPath(wheel.url));
        } catch {
          return undefined;
        }
        return identity === undefined ? undefined : `file:${identity}:${wheel.url}`;
      }
      const sha256 = wheel.hashes.sha256?.toLowerCase();
      return sha256 !== undefined && /^[0-9a-f]{64}$/.test(sha256) ? `sha256:${sha256}` : undefined;
    },
    get(key) {
      records ??= readStore(path);
      return (added.get(key) ?? records.get(key)) as WheelMetadataRecord | undefined;
    },
    set(key, record) {
      added.set(key, record);
    },
    flush() {
      if (added.size === 0) return;
      const merged = readStore(path);
      for (const [key, record] of added) {
        merged.delete(key);
        merged.set(key, record);
      }
      const kept = [...merged].slice(Math.max(0, merged.size - maxEntries));
      writeStore(path, kept);
      added.clear();
    },
  };
}

/** The store's records in the order written, or none when it is missing or damaged. */
function readStore(path: string): Map<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return new Map();
  }
  const newline = text.indexOf("\n");
  if (newline === -1 || !text.startsWith(header)) return new Map();
  const body = text.slice(newline + 1);
  if (text.slice(header.length, newline) !== createHash("sha256").update(body).digest("hex")) return new Map();
  try {
    const parsed = JSON.parse(body) as unknown;
    if (!Array.isArray(parsed)) return new Map();
    return new Map(parsed.filter((row): row is [string, unknown] => Array.isArray(row) && row.length === 2 && typeof row[0] === "string"));
  } catch {
    return new Map();
  }
}

function writeStore(path: string, records: [string, unknown][]): void {
  const body = JSON.stringify(records);
  const directory = join(path, "..");
  mkdirSync(directory, { recursive: true });
  const temporary = join(directory, `.${storeName}.${process.pid}.${randomUUID().slice(0, 8)}`);
  try {
    writeFileSync(temporary, `${header}${createHash("sha256").update(body).digest("hex")}\n${body}`);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
