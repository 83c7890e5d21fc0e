import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BlobStore } from "../runtime/index.js";

/**
 * A {@link BlobStore} over a directory: one file per key, written to a unique temporary name and
 * renamed into place, so concurrent writers and readers never see a partial file.
 *
 * @example
 * const snapshots = new DirectoryBlobStore(join(kilnCacheDir(process.env), "snapshots"));
 */
export class DirectoryBlobStore implements BlobStore {
  readonly directory: string;

  constructor(directory: string) {
    this.directory = directory;
  }

  async read(key: string): Promise<Uint8Array | undefined> {
    try {
      return readFileSync(this.pathOf(key));
    } catch {
      return undefined;
    }
  }

  async write(key: string, bytes: Uint8Array): Promise<void> {
    mkdirSync(this.directory, { recursive: true });
    const temporary = this.pathOf(`${key}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    try {
      writeFileSync(temporary, bytes);
      renameSync(temporary, this.pathOf(key));
    } finally {
      rmSync(temporary, { force: true });
    }
  }

  async remove(key: string): Promise<void> {
    rmSync(this.pathOf(key), { force: true });
  }

  /** The file holding `key`. */
  pathOf(key: string): string {
    if (!/^[A-Za-z0-9._-]+$/.test(key)) throw new RangeError(`Blob key "${key}" is not a safe file name`);
    return join(this.directory, key);
  }
}
