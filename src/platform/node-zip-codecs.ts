import { Buffer } from "node:buffer";
import { createRequire } from "node:module";
import type { ZipCodecs } from "../archive/index.js";

type Zlib = typeof import("node:zlib");
// node:zlib costs ~3 ms of CPU to load, and a warm `kiln pip install` inflates nothing (every
// wheel is linked from the unpacked cache), so it is loaded on first use: synchronously through
// process.getBuiltinModule (Node ≥ 20.16), else through a require.
let zlibModule: Zlib | undefined;
const zlib = (): Zlib =>
  (zlibModule ??= typeof process.getBuiltinModule === "function" ? process.getBuiltinModule("node:zlib") : (createRequire(import.meta.url)("node:zlib") as Zlib));

/**
 * Node's zlib as the zip reader's codecs: native CRC-32 and a synchronous inflater that stops at
 * the declared size (`maxOutputLength`), several times faster than the portable code, and
 * `Buffer.compare` (a `memcmp`) to tell identical entries.
 *
 * @example
 * const archive = await openZip(bytesSource(bytes), { codecs: nodeZipCodecs });
 */
export const nodeZipCodecs: ZipCodecs = {
  crc32: (bytes) => zlib().crc32(bytes),
  // One output chunk of the declared size: no concatenation of 16 KiB chunks (20-35% faster). One
  // spare byte: a chunk filled exactly makes zlib.js allocate a second one of the same size to
  // look for the stream's end (10 MB of external memory for a 10 MB library, and GC pressure).
  inflateRaw: (compressed, maxOutputLength) => zlib().inflateRawSync(compressed, { maxOutputLength, chunkSize: Math.max(64, maxOutputLength + 1) }),
  equal: (a, b) => Buffer.compare(a, b) === 0,
};
