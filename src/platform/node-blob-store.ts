import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BlobReader, BlobStore } from "../runtime/index.js";

/**
 * A {@link BlobStore} over a directory: one file per key, written to a unique temporary name and
 * renamed into place, so concurrent writers and readers never see a partial file. After a write,
 * only the `maxEntries` most recently written blobs are kept (snapshots are ~30 MB each), with
 * their sidecars (see {@link DirectoryBlobStore.prune}).
 *
 * @example
 * const snapshots = new DirectoryBlobStore(join(kilnCacheDir(process.env), "snapshots"));
 */
export class DirectoryBlobStore implements BlobStore {
  readonly directory: string;
  readonly maxEntries: number;

  constructor(directory: string, options: { maxEntries?: number } = {}) {
    this.directory = directory;
    this.maxEntries = options.maxEntries ?? 8;
  }

  async read(key: string): Promise<Uint8Array | undefined> {
    try {
      return readFileSync(this.pathOf(key));
    } catch {
      return undefined;
    }
  }

  /** Opens the file once: a writer renaming a new blob into place does not change what this reads. */
  async open(key: string): Promise<BlobReader | undefined> {
    let fd: number;
    try {
      fd = openSync(this.pathOf(key), "r");
    } catch {
      return undefined;
    }
    return {
      size: fstatSync(fd).size,
      readInto: async (offset, target) => {
        let done = 0;
        while (done < target.length) {
          const count = readSync(fd, target, done, target.length - done, offset + done);
          if (count === 0) break;
          done += count;
        }
        return done;
      },
      close: async () => closeSync(fd),
    };
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
    this.prune();
  }

  /**
   * Removes all but the `maxEntries` newest blobs (temporary files of live writers are left alone).
   * A blob named `KEY.SUFFIX` while `KEY` exists is `KEY`'s sidecar (a snapshot's manifest): it
   * does not count, and goes with `KEY`.
   */
  prune(): void {
    const names = readdirSync(this.directory).filter((name) => !name.endsWith(".tmp"));
    const present = new Set(names);
    const ownerOf = (name: string) => {
      for (let dot = name.indexOf("."); dot > 0; dot = name.indexOf(".", dot + 1)) if (present.has(name.slice(0, dot))) return name.slice(0, dot);
      return undefined;
    };
    const blobs = names
      .filter((name) => ownerOf(name) === undefined)
      .map((name) => ({ name, time: statSync(this.pathOf(name), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
      .sort((a, b) => b.time - a.time);
    const stale = new Set(blobs.slice(this.maxEntries).map((blob) => blob.name));
    for (const name of names) if (stale.has(name) || stale.has(ownerOf(name) ?? "")) rmSync(this.pathOf(name), { force: true });
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
