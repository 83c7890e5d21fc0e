/**
 * V8's compilation hints section for WebAssembly: a custom section named `compilationHints`,
 * placed after the function section and before the code section, with one byte per function the
 * module defines (not the imported ones). V8 reads it only with
 * `--experimental-wasm-compilation-hints`, and only for a module compiled with
 * `--no-wasm-lazy-compilation`; other engines ignore the custom section. A hint byte is
 * `strategy | baselineTier << 2 | topTier << 4` (V8's `DecodeCompilationHintsSection`).
 * Hints change when V8 compiles a function, never what it does.
 */

/** When V8 compiles a function: at first call, at module compile time, or lazy baseline with the optimized tier compiled ahead. */
export const hintStrategy = { default: 0, lazy: 1, eager: 2, lazyBaselineEagerTopTier: 3 } as const;
/** Which compiler: V8's choice, Liftoff (baseline) or TurboFan (optimized). */
export const hintTier = { default: 0, baseline: 1, optimized: 2 } as const;

/**
 * One hint byte.
 *
 * @example
 * hintByte({ strategy: hintStrategy.eager, baselineTier: hintTier.baseline }); // 6
 */
export function hintByte(hint: { strategy: number; baselineTier?: number; topTier?: number }): number {
  return (hint.strategy & 3) | ((hint.baselineTier ?? 0) & 3) << 2 | ((hint.topTier ?? 0) & 3) << 4;
}

/**
 * A copy of the module `wasm` with a compilation hints section, `hintFor(functionIndex)` giving
 * the byte for each function the module defines (indices count imported functions first, as in
 * the module's own index space). Undefined when `wasm` is not a module this can read (or already
 * has a code section before its function section, or no functions).
 *
 * @example
 * const hinted = withCompilationHints(bytes, (index) => (hot.has(index) ? 6 : 1));
 * if (hinted) module = await WebAssembly.compile(hinted);
 */
export function withCompilationHints(wasm: Uint8Array, hintFor: (functionIndex: number) => number): Uint8Array<ArrayBuffer> | undefined {
  const insertion = readSections(wasm) && compilationHintsInsertion(wasm, hintFor);
  if (!insertion) return undefined;
  const { at, section } = insertion;
  const result = new Uint8Array(wasm.length + section.length);
  result.set(wasm.subarray(0, at), 0);
  result.set(section, at);
  result.set(wasm.subarray(at), at + section.length);
  return result;
}

/**
 * The compilation hints section {@link withCompilationHints} inserts, and where: at `at`, the code
 * section's start. `start` is the module's beginning and need only reach the code section's
 * header (the sections before it are read, nothing after), so that a caller reading the module
 * from a file can read it once, into a buffer laid out with the section, instead of copying a
 * large module again (Pyodide's is 9.6 MB, its code section starting at ~400 KB). Undefined as for
 * {@link withCompilationHints}, and when `start` ends before the code section does begin.
 *
 * @example
 * const insertion = compilationHintsInsertion(firstBytes, (index) => 1);
 * // the module = firstBytes[0, at) + insertion.section + the rest of the file from `at`
 */
export function compilationHintsInsertion(start: Uint8Array, hintFor: (functionIndex: number) => number): { at: number; section: Uint8Array<ArrayBuffer> } | undefined {
  const sections = readSections(start, { untilCode: true });
  if (!sections) return undefined;
  const functions = sections.find((section) => section.id === 3);
  const code = sections.find((section) => section.id === 10);
  if (!functions || !code || code.start < functions.end) return undefined;
  const imports = sections.find((section) => section.id === 2);
  const imported = imports ? countImportedFunctions(start, imports.body) : 0;
  const declared = readLeb(start, functions.body);
  if (imported === undefined || !declared) return undefined;
  const name = new TextEncoder().encode("compilationHints");
  const content = [...encodeLeb(name.length), ...name, ...encodeLeb(declared.value)];
  const header = [0, ...encodeLeb(content.length + declared.value), ...content];
  const section = new Uint8Array(header.length + declared.value);
  section.set(header, 0);
  for (let index = 0; index < declared.value; index++) section[header.length + index] = hintFor(imported + index);
  return { at: code.start, section };
}

interface Section {
  id: number;
  start: number;
  body: number;
  end: number;
}

/** The module's sections; with `untilCode`, those up to the code section's header, which may end past `wasm`'s end. */
function readSections(wasm: Uint8Array, options: { untilCode?: boolean } = {}): Section[] | undefined {
  const preamble = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  if (wasm.length < 8 || preamble.some((byte, index) => wasm[index] !== byte)) return undefined;
  const sections: Section[] = [];
  for (let position = 8; position < wasm.length; ) {
    const size = readLeb(wasm, position + 1);
    const id = wasm[position]!;
    const untilHere = options.untilCode === true && id === 10;
    if (!size || (!untilHere && size.next + size.value > wasm.length)) return undefined;
    sections.push({ id, start: position, body: size.next, end: size.next + size.value });
    if (untilHere) return sections;
    position = size.next + size.value;
  }
  return options.untilCode ? undefined : sections;
}

/** The number of function imports in an import section (other kinds are skipped). */
function countImportedFunctions(wasm: Uint8Array, body: number): number | undefined {
  const count = readLeb(wasm, body);
  if (!count) return undefined;
  let position = count.next;
  let functions = 0;
  const skipLeb = () => {
    const value = readLeb(wasm, position);
    if (!value) throw new RangeError("truncated");
    position = value.next;
    return value.value;
  };
  const skipLimits = () => {
    const flags = wasm[position++]!;
    skipLeb();
    if (flags & 1) skipLeb();
  };
  try {
    for (let index = 0; index < count.value; index++) {
      const moduleName = skipLeb();
      position += moduleName;
      const fieldName = skipLeb();
      position += fieldName;
      const kind = wasm[position++];
      if (kind === 0) {
        skipLeb();
        functions++;
      } else if (kind === 1) {
        position++; // element type
        skipLimits();
      } else if (kind === 2) skipLimits();
      else if (kind === 3) position += 2; // value type, mutability
      else if (kind === 4) {
        position++; // attribute
        skipLeb();
      } else return undefined;
    }
  } catch {
    return undefined;
  }
  return functions;
}

function readLeb(bytes: Uint8Array, position: number): { value: number; next: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let index = position; index < bytes.length && index < position + 5; index++) {
    const byte = bytes[index]!;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (!(byte & 0x80)) return { value, next: index + 1 };
  }
  return undefined;
}

function encodeLeb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    bytes.push(byte);
  } while (value);
  return bytes;
}
