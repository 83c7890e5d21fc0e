import { closeSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { readFile } from "./node-fs-promises.js";
import { fileURLToPath } from "node:url";
import type { RandomAccessSource } from "../archive/index.js";
import { KilnError } from "../core/index.js";
import type { LocalFiles } from "../index/index.js";
import { fileIdentity } from "./node-file-digests.js";
import { nodeZipCodecs } from "./node-zip-codecs.js";

/**
 * {@link LocalFiles} over Node's file system, for `--find-links` directories.
 *
 * @example
 * const source = new FindLinksSource({ location: pathToFileURL("wheels/").href, session, files: nodeLocalFiles });
 */
export const nodeLocalFiles: LocalFiles = {
  zipCodecs: nodeZipCodecs,
  async listDirectory(directoryUrl) {
    const path = fileURLToPath(directoryUrl);
    // Synchronously: listing a directory is one or two system calls, cheaper than two thread-pool round trips.
    let info;
    try {
      info = statSync(path);
    } catch (error) {
      throw ioError("read", path, error);
    }
    if (!info.isDirectory()) return undefined;
    const entries = readdirSync(path, { withFileTypes: true });
    return entries.filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => e.name);
  },
  async readFile(fileUrl) {
    const path = fileURLToPath(fileUrl);
    const bytes = await readFile(path).catch((error) => {
      throw ioError("read", path, error);
    });
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  },
  identity: async (fileUrl) => fileIdentity(fileURLToPath(fileUrl)),
  async openFile(fileUrl) {
    const path = fileURLToPath(fileUrl);
    const bytes = await fileSource(path).catch((error) => {
      throw ioError("open", path, error);
    });
    return bytes;
  },
};

/**
 * Reads ranges with positioned reads; the handle closes after each read, so nothing leaks. The
 * reads are synchronous: resolving from a directory of wheels reads a few small ranges of each
 * (the zip directory, METADATA), where a thread-pool round trip costs more than the read.
 */
async function fileSource(path: string): Promise<RandomAccessSource> {
  const { size } = statSync(path);
  return {
    size,
    async read(offset, length) {
      const descriptor = openSync(path, "r");
      try {
        const buffer = new Uint8Array(length);
        let done = 0;
        while (done < length) {
          const bytesRead = readSync(descriptor, buffer, done, length - done, offset + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        return done === length ? buffer : buffer.subarray(0, done);
      } finally {
        closeSync(descriptor);
      }
    },
  };
}

function ioError(action: string, path: string, error: unknown): KilnError {
  const code = (error as NodeJS.ErrnoException)?.code;
  return new KilnError("findLinksUnreadable", `Cannot ${action} ${path}: ${code === "ENOENT" ? "no such file or directory" : (error as Error).message}`, {
    cause: error,
    hint: "Check the --find-links path",
  });
}
