import { Inflate } from "fflate";
import { KilnError } from "../core/index.js";

// Compressed input is fed in slices so a deflate stream that expands far beyond its declared
// size is stopped after at most one slice's worth of output (deflate expands at most ~1032x).
const sliceSize = 16 * 1024;

/**
 * Inflates raw deflate data that must produce exactly `expectedSize` bytes; stops as soon as the
 * output exceeds it, so a lying size cannot make kiln allocate without bound.
 *
 * @example
 * inflateBounded(deflateSync(bytes), bytes.length, "a.txt");
 */
export function inflateBounded(compressed: Uint8Array, expectedSize: number, name: string): Uint8Array {
  const output = new Uint8Array(expectedSize);
  let written = 0;
  let ended = false;
  const tooLarge = () =>
    new KilnError("corruptZipEntry", `Cannot read zip entry "${name}": it inflates to more than its declared ${expectedSize} bytes`, {
      hint: "The archive is corrupt or hostile (a zip bomb); do not use it",
    });
  const inflate = new Inflate((chunk, final) => {
    if (written + chunk.length > expectedSize) throw tooLarge();
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
    throw new KilnError("corruptZipEntry", `Cannot inflate zip entry "${name}": ${(error as Error).message}`, {
      hint: "The archive is corrupt or truncated; download it again",
      cause: error,
    });
  }
  if (!ended || written !== expectedSize) {
    throw new KilnError("corruptZipEntry", `Cannot read zip entry "${name}": it inflates to ${written} bytes, not the declared ${expectedSize}`, {
      hint: "The archive is corrupt or truncated; download it again",
    });
  }
  return output;
}
