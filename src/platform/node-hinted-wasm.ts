import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { compilationHintsInsertion, withCompilationHints } from "../runtime/index.js";

/** How much of the module is read first to find the code section: Pyodide's starts at ~400 KB. */
const firstReadBytes = 1 << 20;

/**
 * The WebAssembly module at `path` with a compilation hints section (what
 * `withCompilationHints(readFileSync(path), hintFor)` gives), read once into a buffer laid out
 * with the section: the start's helper thread reads Pyodide's 9.6 MB module at every warm start
 * before V8 can deserialize its cached code, and reading it whole then copying it into a larger
 * buffer took as long again (~7 ms: a second 9.6 MB of fresh pages). Falls back to that read and
 * copy when the code section starts after the first MiB. Undefined when the module has no place
 * for hints (see `withCompilationHints`); throws when the file cannot be read.
 *
 * @example
 * const wire = readHintedWasm(join(indexURL, "pyodide.asm.wasm"), optimizedCompilationHintsFor(profile));
 */
export function readHintedWasm(path: string, hintFor: (functionIndex: number) => number, options: { firstReadBytes?: number } = {}): Uint8Array<ArrayBuffer> | undefined {
  const descriptor = openSync(path, "r");
  try {
    const size = fstatSync(descriptor).size;
    const first = Buffer.allocUnsafe(Math.min(size, options.firstReadBytes ?? firstReadBytes));
    readFully(descriptor, first, 0);
    const insertion = compilationHintsInsertion(first, hintFor);
    if (insertion && first.length < size) {
      const { at, section } = insertion;
      const result = new Uint8Array(size + section.length);
      result.set(first.subarray(0, at), 0);
      result.set(section, at);
      result.set(first.subarray(at), at + section.length);
      const rest = Buffer.from(result.buffer, at + section.length + (first.length - at));
      return readFully(descriptor, rest, first.length) === rest.length ? result : undefined;
    }
    // The code section starts past the first read, or the module has no place for hints: the whole module, then a copy.
    const whole = first.length === size ? first : Buffer.allocUnsafe(size);
    if (whole !== first) {
      first.copy(whole);
      if (readFully(descriptor, whole.subarray(first.length), first.length) !== size - first.length) return undefined;
    }
    return withCompilationHints(whole, hintFor);
  } finally {
    closeSync(descriptor);
  }
}

/** Reads into all of `target` from `position` on, or up to the end of the file; the bytes read. */
function readFully(descriptor: number, target: Uint8Array, position: number): number {
  let read = 0;
  while (read < target.length) {
    const count = readSync(descriptor, target, read, target.length - read, position + read);
    if (count === 0) break;
    read += count;
  }
  return read;
}
