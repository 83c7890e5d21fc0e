import { KilnError } from "../core/index.js";

// fflate is loaded on first use: with a platform inflater (Node's zlib) or `DecompressionStream`
// most reads never need it, and evaluating it costs a one-shot command like `kiln audit` ~15 ms.
type Fflate = typeof import("fflate");
let fflate: Promise<Fflate> | undefined;
const loadFflate = (): Promise<Fflate> => (fflate ??= import("fflate"));

// Compressed input is fed in slices so a deflate stream that expands far beyond its declared
// size is stopped after at most one slice's worth of output (deflate expands at most ~1032x).
const sliceSize = 16 * 1024;

/** Entries this large (compressed) go to the platform's native inflater when there is one. */
const nativeThreshold = 64 * 1024;

function tooLargeError(name: string, expectedSize: number): KilnError {
  return new KilnError("corruptZipEntry", `Cannot read zip entry "${name}": it inflates to more than its declared ${expectedSize} bytes`, {
    hint: "The archive is corrupt or hostile (a zip bomb); do not use it",
  });
}

function wrongSizeError(name: string, expectedSize: number, written: number): KilnError {
  return new KilnError("corruptZipEntry", `Cannot read zip entry "${name}": it inflates to ${written} bytes, not the declared ${expectedSize}`, {
    hint: "The archive is corrupt or truncated; download it again",
  });
}

function corruptError(name: string, error: unknown): KilnError {
  return new KilnError("corruptZipEntry", `Cannot inflate zip entry "${name}": ${(error as Error)?.message ?? String(error)}`, {
    hint: "The archive is corrupt or truncated; download it again",
    cause: error,
  });
}

function nativeInflaterAvailable(): boolean {
  try {
    new DecompressionStream("deflate-raw");
    return true;
  } catch {
    return false;
  }
}

let native: boolean | undefined;

/**
 * Inflates raw deflate data to exactly `expectedSize` bytes, stopping as soon as the output
 * exceeds it. Large entries use the web-standard `DecompressionStream` (native zlib in Node and
 * browsers, about twice as fast as fflate), read chunk by chunk so a bomb is cancelled early;
 * small ones, and platforms without `deflate-raw`, use fflate. A platform inflater given as
 * `inflateRaw` (Node's synchronous zlib, faster than either) is used for every entry instead.
 *
 * @example
 * await inflateEntry(deflateSync(bytes), bytes.length, "a.txt");
 */
export async function inflateEntry(
  compressed: Uint8Array,
  expectedSize: number,
  name: string,
  inflateRaw?: (compressed: Uint8Array, maxOutputLength: number) => Uint8Array,
): Promise<Uint8Array> {
  if (inflateRaw) return inflateWith(inflateRaw, compressed, expectedSize, name);
  native ??= nativeInflaterAvailable();
  if (!native || compressed.length < nativeThreshold) return inflateBounded(compressed, expectedSize, name);
  const output = new Uint8Array(expectedSize);
  let written = 0;
  const reader = new Blob([compressed as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (written + value.length > expectedSize) {
        await reader.cancel().catch(() => undefined);
        throw tooLargeError(name, expectedSize);
      }
      output.set(value, written);
      written += value.length;
    }
  } catch (error) {
    if (error instanceof KilnError) throw error;
    throw corruptError(name, error);
  }
  if (written !== expectedSize) throw wrongSizeError(name, expectedSize, written);
  return output;
}

/** A platform inflater that throws past `maxOutputLength`; its errors become KilnErrors. */
function inflateWith(inflateRaw: (compressed: Uint8Array, maxOutputLength: number) => Uint8Array, compressed: Uint8Array, expectedSize: number, name: string): Uint8Array {
  let output: Uint8Array;
  try {
    // An inflater may refuse a limit of 0 (Node's zlib does); one byte of room shows a lie.
    output = inflateRaw(compressed, Math.max(1, expectedSize));
  } catch (error) {
    if (error instanceof RangeError) throw tooLargeError(name, expectedSize);
    throw corruptError(name, error);
  }
  if (output.length > expectedSize) throw tooLargeError(name, expectedSize);
  if (output.length !== expectedSize) throw wrongSizeError(name, expectedSize, output.length);
  return output;
}

/**
 * Inflates raw deflate data that must produce exactly `expectedSize` bytes; stops as soon as the
 * output exceeds it, so a lying size cannot make kiln allocate without bound.
 *
 * @example
 * await inflateBounded(deflateSync(bytes), bytes.length, "a.txt");
 */
export async function inflateBounded(compressed: Uint8Array, expectedSize: number, name: string): Promise<Uint8Array> {
  const { Inflate, inflateSync } = await loadFflate();
  if (compressed.length <= sliceSize) return inflateSmall(inflateSync, { compressed, expectedSize, name });
  const output = new Uint8Array(expectedSize);
  let written = 0;
  let ended = false;
  const inflate = new Inflate((chunk, final) => {
    if (written + chunk.length > expectedSize) throw tooLargeError(name, expectedSize);
    output.set(chunk, written);
    written += chunk.length;
    if (final) ended = true;
  });
  try {
    let at = 0;
    do {
      const end = Math.min(compressed.length, at + sliceSize);
      inflate.push(compressed.subarray(at, end), end === compressed.length);
      at = end;
    } while (at < compressed.length);
  } catch (error) {
    if (error instanceof KilnError) throw error;
    throw corruptError(name, error);
  }
  if (!ended || written !== expectedSize) throw wrongSizeError(name, expectedSize, written);
  return output;
}

/**
 * One-shot inflate for input no larger than one streaming slice: the worst case is the same as
 * streaming's first slice, and it avoids the stream's per-entry overhead. fflate drops writes past
 * the end of a fixed output buffer, so one spare byte reveals output beyond the declared size.
 */
function inflateSmall(inflateSync: Fflate["inflateSync"], entry: { compressed: Uint8Array; expectedSize: number; name: string }): Uint8Array {
  const { compressed, expectedSize, name } = entry;
  const out = new Uint8Array(expectedSize + 1);
  let length: number;
  try {
    length = inflateSync(compressed, { out }).length;
  } catch (error) {
    if (error instanceof RangeError) throw tooLargeError(name, expectedSize);
    throw corruptError(name, error);
  }
  if (length > expectedSize) throw tooLargeError(name, expectedSize);
  if (length !== expectedSize) throw wrongSizeError(name, expectedSize, length);
  return out.subarray(0, expectedSize);
}
