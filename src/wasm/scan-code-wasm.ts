import { ByteReader } from "./byte-reader.js";
import { codeFeaturesOf, flagsOf, miscellaneousImmediates, shapes } from "./opcode-shapes.js";
import type { CodeFeatures } from "./scan-code.js";

// The opcode scan of `scanCode`, as a small WebAssembly module that kiln assembles below: a byte
// loop runs about three times faster compiled to WebAssembly than in JavaScript (no typed-array
// bounds checks or tagged numbers), which is most of an audit's own time on large modules. It
// is only a fast path: it gives up (returns undefined) on anything unusual — a malformed body,
// an unknown instruction, a truncated section — and `scanCode` then scans again in JavaScript
// and says exactly what and where. When it succeeds, every byte it read lay inside the body
// being decoded, so the JavaScript scan would have read the same bytes and decided the same.

// Memory layout: the opcode tables, then the code section's function bodies.
const shapesAt = 0;
const flagsAt = 256;
const immediatesAt = 512;
const codeAt = 1024;
/** Zero bytes after the code: an immediate running past the end stops on them, inside memory. */
const padding = 64;
/** Bodies per call: short calls let V8 move the scanner from its baseline to its optimising compiler early. */
const bodiesPerCall = 256;

// Instruction encodings, enough for the scanner.
const I = { eqz: 0x45, eq: 0x46, ltU: 0x49, gtU: 0x4b, leU: 0x4d, geU: 0x4f, add: 0x6a, sub: 0x6b, and: 0x71, or: 0x72, shl: 0x74, ret: 0x0f };
const get = (local: number) => [0x20, local];
const set = (local: number) => [0x21, local];
const tee = (local: number) => [0x22, local];
const globalGet = (global: number) => [0x23, global];
const globalSet = (global: number) => [0x24, global];
const load8 = (offset = 0) => [0x2d, 0x00, ...unsigned(offset)];
const call = (index: number) => [0x10, index];
const br = (depth: number) => [0x0c, depth];
const brIf = (depth: number) => [0x0d, depth];
const block = (...body: number[][]) => [0x02, 0x40, ...body.flat(), 0x0b];
const loop = (...body: number[][]) => [0x03, 0x40, ...body.flat(), 0x0b];
const when = (...body: number[][]) => [0x04, 0x40, ...body.flat(), 0x0b];
const returnValue = (...value: number[][]) => [...value.flat(), I.ret];
const fail = () => returnValue(i32(-1));
const increment = (local: number, by = 1) => [...get(local), ...i32(by), I.add, ...set(local)];
/** Skips one LEB128 number at local `p`, inline. */
const skipLeb = (p: number) => loop(get(p), load8(), increment(p), i32(0x80), [I.and], brIf(0));
/** `local = bytes[p++]` */
const readByte = (local: number, p: number) => [...get(p), ...load8(), ...set(local), ...increment(p)];

function i32(value: number): number[] {
  const bytes: number[] = [0x41];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && !(byte & 0x40)) || (value === -1 && byte & 0x40)) return [...bytes, byte];
    bytes.push(byte | 0x80);
  }
}

function unsigned(value: number): number[] {
  const bytes: number[] = [];
  do {
    const byte = value & 0x7f;
    value >>>= 7;
    bytes.push(value ? byte | 0x80 : byte);
  } while (value);
  return bytes;
}

// Globals: the feature bits found, and the position after a `u32` read.
const FLAGS = 0;
const NEXT = 1;
// Functions, by index.
const LEB = 0, MEMARG = 1, BLOCKTYPE = 2, U32 = 3, VALTYPE = 4, PREFIXED = 5, OTHER = 6, U32_STRICT = 7, SCAN = 8, GET_FLAGS = 9;

/** A function: its type index, extra i32 locals, and body. */
interface Assembled {
  type: number;
  locals: number;
  body: number[];
}

/** Loops over `count` items while `p <= end`: the scans' guard against hostile counts. */
function counted(options: { i: number; count: number; p: number; end: number; inclusive?: boolean }, ...body: number[][]): number[] {
  const { i, count, p, end } = options;
  return [
    ...i32(0), ...set(i),
    ...block(loop(
      get(i), get(count), [options.inclusive ? I.gtU : I.geU], brIf(1),
      get(p), get(end), [I.gtU], brIf(1),
      ...body,
      increment(i),
      br(0),
    )),
  ];
}

// Assembled on first use (not at import): `kiln audit` pays for it only once it scans code.
const assemble = (): Assembled[] => [
  // leb(p) -> p: skips one LEB128 number.
  { type: 0, locals: 0, body: [...skipLeb(0), ...get(0)] },
  // memarg(p) -> p: alignment (bit 6 of its first byte: a memory index follows), [memory,] offset.
  {
    type: 0, locals: 1, body: [
      ...readByte(1, 0),
      ...get(1), ...i32(0x80), I.and, ...when(get(0), call(LEB), set(0)),
      ...get(1), ...i32(0x40), I.and, ...when(get(0), call(LEB), set(0)),
      ...get(0), ...call(LEB),
    ],
  },
  // blocktype(p) -> p: a value type, an empty type, a type index, or `(ref null? ht)`.
  {
    type: 0, locals: 1, body: [
      ...get(0), ...load8(), ...set(1),
      ...get(1), ...i32(0x63), I.eq, ...get(1), ...i32(0x64), I.eq, I.or, ...when(increment(0)),
      ...get(0), ...call(LEB),
    ],
  },
  // u32(p) -> value, NEXT = p after it: a lenient LEB128 read (bits past 32 dropped), as scanCode's readU32.
  {
    type: 0, locals: 3, body: [
      ...loop(
        readByte(3, 0),
        get(2), i32(32), [I.ltU], when(get(1), get(3), i32(0x7f), [I.and], get(2), [I.shl, I.or], set(1)),
        get(2), i32(7), [I.add], set(2),
        get(3), i32(0x80), [I.and], brIf(0),
      ),
      ...get(0), ...globalSet(NEXT), ...get(1),
    ],
  },
  // valtype(p) -> p, or -1 for an unknown value type.
  {
    type: 0, locals: 1, body: [
      ...readByte(1, 0),
      ...get(1), ...i32(0x63), I.eq, ...get(1), ...i32(0x64), I.eq, I.or, ...when(returnValue(get(0), call(LEB))),
      ...get(1), ...i32(0x69), I.sub, ...i32(0x74 - 0x69), I.leU, ...get(1), ...i32(0x7b), I.sub, ...i32(0x7f - 0x7b), I.leU, I.or, I.eqz, ...when(fail()),
      ...get(0),
    ],
  },
  // prefixed(op, sub, p) -> p, or -1 for a sub-opcode kiln does not know; sets the feature bits.
  {
    type: 1, locals: 1, body: [
      ...get(0), ...i32(0xfc), I.eq, ...when(
        get(1), i32(miscellaneousImmediates.length - 1), [I.gtU], when(fail()),
        get(1), load8(immediatesAt), set(3),
        block(loop(get(3), [I.eqz], brIf(1), get(2), call(LEB), set(2), get(3), i32(1), [I.sub], set(3), br(0))),
        get(1), i32(8), [I.geU], when(globalGet(FLAGS), i32(32), [I.or], globalSet(FLAGS)),
        returnValue(get(2)),
      ),
      ...get(0), ...i32(0xfd), I.eq, ...when(
        globalGet(FLAGS), i32(16), [I.or], globalSet(FLAGS),
        get(1), i32(11), [I.leU], get(1), i32(92), [I.eq, I.or], get(1), i32(93), [I.eq, I.or], when(returnValue(get(2), call(MEMARG))),
        get(1), i32(12), [I.eq], get(1), i32(13), [I.eq, I.or], when(returnValue(get(2), i32(16), [I.add])),
        get(1), i32(21), [I.sub], i32(34 - 21), [I.leU], when(returnValue(get(2), i32(1), [I.add])),
        get(1), i32(84), [I.sub], i32(91 - 84), [I.leU], when(returnValue(get(2), call(MEMARG), i32(1), [I.add])),
        get(1), i32(0x113), [I.gtU], when(fail()),
        returnValue(get(2)),
      ),
      ...globalGet(FLAGS), ...i32(8), I.or, ...globalSet(FLAGS),
      ...get(1), ...i32(3), I.eq, ...when(returnValue(get(2), i32(1), [I.add])),
      ...get(1), ...i32(0x4e), I.gtU, ...get(1), ...i32(3), I.gtU, ...get(1), ...i32(0x10), I.ltU, I.and, I.or, ...when(fail()),
      ...get(2), ...call(MEMARG),
    ],
  },
  // other(shape, op, p, end) -> p, or -1: the immediates of the less common shapes.
  {
    type: 2, locals: 3, body: [
      ...get(0), I.eqz, ...when(returnValue(get(2))),
      ...get(0), ...i32(1), I.eq, ...when(returnValue(get(2), call(LEB))),
      ...get(0), ...i32(2), I.eq, ...when(returnValue(get(2), call(LEB), call(LEB))),
      ...get(0), ...i32(3), I.eq, ...when(returnValue(get(2), call(MEMARG))),
      ...get(0), ...i32(4), I.eq, ...when(returnValue(get(2), call(BLOCKTYPE))),
      ...get(0), ...i32(8), I.eq, ...when(returnValue(get(2), i32(4), [I.add])),
      ...get(0), ...i32(9), I.eq, ...when(returnValue(get(2), i32(8), [I.add])),
      ...get(0), ...i32(11), I.eq, ...when(returnValue(get(1), get(2), call(U32), globalGet(NEXT), call(PREFIXED))),
      // br_table: count + 1 labels.
      ...get(0), ...i32(5), I.eq, ...when(
        get(2), call(U32), set(4), globalGet(NEXT), set(2),
        counted({ i: 5, count: 4, p: 2, end: 3, inclusive: true }, get(2), call(LEB), set(2)),
        returnValue(get(2)),
      ),
      // select t*: value types.
      ...get(0), ...i32(6), I.eq, ...when(
        get(2), call(U32), set(4), globalGet(NEXT), set(2),
        counted({ i: 5, count: 4, p: 2, end: 3 }, get(2), call(VALTYPE), set(2)),
        returnValue(get(2)),
      ),
      // try_table: block type, then catch clauses (kind, [tag,] label).
      ...get(0), ...i32(7), I.eq, ...when(
        get(2), call(BLOCKTYPE), call(U32), set(4), globalGet(NEXT), set(2),
        counted(
          { i: 5, count: 4, p: 2, end: 3 },
          readByte(6, 2),
          get(6), i32(3), [I.gtU], when(fail()),
          get(6), i32(2), [I.ltU], when(get(2), call(LEB), set(2)),
          get(2), call(LEB), set(2),
        ),
        returnValue(get(2)),
      ),
      ...i32(-1),
    ],
  },
  // u32Strict(p, limit) -> value, NEXT = p after it or -1: ByteReader.u32's rules (at most 5 bytes, 32 bits, inside limit).
  {
    type: 3, locals: 3, body: [
      ...block(loop(
        get(0), get(1), [I.geU], brIf(1),
        readByte(4, 0),
        get(3), i32(28), [I.eq], get(4), i32(0x0f), [I.gtU, I.and], brIf(1),
        get(2), get(4), i32(0x7f), [I.and], get(3), [I.shl, I.or], set(2),
        get(4), i32(0x80), [I.and, I.eqz], when(get(0), globalSet(NEXT), returnValue(get(2))),
        get(3), i32(7), [I.add], tee(3), i32(35), [I.ltU], brIf(0),
      )),
      ...i32(-1), ...globalSet(NEXT), ...i32(0),
    ],
  },
  // scan(p, sectionEnd, bodies) -> p after that many bodies, or -1 when the JavaScript scan must decide.
  // Locals: 3 bodyEnd, 4 groups, 5 i, 6 op, 7 shape, 8 size.
  {
    type: 1, locals: 6, body: [
      ...loop(
        get(2), [I.eqz], when(returnValue(get(0))),
        get(2), i32(1), [I.sub], set(2),
        get(0), get(1), call(U32_STRICT), set(8),
        globalGet(NEXT), tee(0), i32(-1), [I.eq], when(fail()),
        get(8), get(1), get(0), [I.sub, I.gtU], when(fail()),
        get(0), get(8), [I.add], set(3),
        // Locals: groups of (count, value type).
        get(0), call(U32), set(4), globalGet(NEXT), set(0),
        counted({ i: 5, count: 4, p: 0, end: 3 }, get(0), call(LEB), call(VALTYPE), set(0)),
        get(0), get(3), [I.gtU], when(fail()),
        // Instructions: a jump table on the shape; no immediate, one LEB and memarg inline, the rest in `other`.
        block(loop(
          get(0), get(3), [I.geU], brIf(1),
          readByte(6, 0),
          get(6), load8(shapesAt), set(7),
          block(block(block(block(
            get(7), [0x0e, 4, 0, 1, 3, 2, 3],
          ),
          // shape 0: no immediate.
          br(3)),
          // shape 1: one LEB.
          skipLeb(0), get(0), get(3), [I.gtU], when(fail()), br(2)),
          // shape 3: memarg, as the memarg function reads it.
          readByte(7, 0),
          get(7), i32(0x80), [I.and], when(skipLeb(0)),
          get(7), i32(0x40), [I.and], when(skipLeb(0)),
          skipLeb(0),
          get(0), get(3), [I.gtU], when(fail()),
          br(1)),
          // Every other shape, and the opcodes that set a feature bit.
          get(7), i32(16), [I.geU], when(
            globalGet(FLAGS), get(6), load8(flagsAt), [I.or], globalSet(FLAGS),
            get(7), i32(16), [I.sub], set(7),
          ),
          get(7), get(6), get(0), get(3), call(OTHER), tee(0), get(3), [I.gtU], when(fail()),
          br(0),
        )),
        br(0),
      ),
      ...i32(-1),
    ],
  },
  // flags() -> the feature bits found since the last call, which it clears.
  { type: 4, locals: 0, body: [...globalGet(FLAGS), ...i32(0), ...globalSet(FLAGS)] },
];

const types = [[1, 1], [3, 1], [4, 1], [2, 1], [0, 1]].map(([params, results]) => [0x60, params!, ...new Array(params).fill(0x7f), results!, 0x7f]);

function section(id: number, items: number[][]): number[] {
  const payload = [...unsigned(items.length), ...items.flat()];
  return [id, ...unsigned(payload.length), ...payload];
}

const text = (value: string) => [...unsigned(value.length), ...[...value].map((c) => c.charCodeAt(0))];

function scannerBinary(): Uint8Array {
  const functions = assemble();
  const bodies = functions.map(({ locals, body }) => {
    const code = [...(locals ? [1, ...unsigned(locals), 0x7f] : [0]), ...body, 0x0b];
    return [...unsigned(code.length), ...code];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types),
    ...section(2, [[...text("env"), ...text("memory"), 0x02, 0x00, 0x01]]),
    ...section(3, functions.map((f) => [f.type])),
    ...section(6, [[0x7f, 0x01, ...i32(0), 0x0b], [0x7f, 0x01, ...i32(0), 0x0b]]),
    ...section(7, [[...text("scan"), 0x00, SCAN], [...text("flags"), 0x00, GET_FLAGS]]),
    ...section(10, bodies),
  ]);
}

interface Scanner {
  memory: WebAssembly.Memory;
  /** Scans up to `bodies` bodies from `p`; the position after them, or -1. */
  scan(p: number, end: number, bodies: number): number;
  /** The feature bits found since the last call; clears them. */
  flags(): number;
}

let scanner: Scanner | null | undefined;

/**
 * The scanner, compiled and instantiated once, its memory kept and grown to the largest code
 * section seen (fresh memory for each module cost as much as the scan: the pages are zeroed on
 * first touch). Null where WebAssembly cannot be compiled (a strict Content-Security-Policy).
 */
function theScanner(): Scanner | null {
  if (scanner !== undefined) return scanner;
  try {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const exports = new WebAssembly.Instance(new WebAssembly.Module(scannerBinary() as Uint8Array<ArrayBuffer>), { env: { memory } }).exports as unknown as Omit<Scanner, "memory">;
    const heap = new Uint8Array(memory.buffer);
    heap.set(shapes, shapesAt);
    heap.set(flagsOf, flagsAt);
    heap.set(miscellaneousImmediates, immediatesAt);
    scanner = { memory, scan: exports.scan, flags: exports.flags };
  } catch {
    scanner = null;
  }
  return scanner;
}

/**
 * Scans a code section as {@link scanCode} does, in WebAssembly. Returns the same features as
 * `scanCode` for a well-formed section whose instructions kiln knows, and undefined for anything
 * else (or when WebAssembly is unavailable): the caller then runs `scanCode`.
 *
 * @example
 * const features = scanCodeWithWasm(bytes, section) ?? scanCode(bytes, section, source);
 */
export function scanCodeWithWasm(bytes: Uint8Array, section: { offset: number; size: number }): CodeFeatures | undefined {
  const wasm = theScanner();
  if (!wasm || section.size > 2 ** 30) return undefined;
  const reader = new ByteReader(bytes, { source: "", start: section.offset, end: section.offset + section.size });
  let count: number;
  try {
    count = reader.u32();
  } catch {
    return undefined;
  }
  if (count > reader.remaining) return undefined;
  const code = bytes.subarray(reader.offset, section.offset + section.size);
  const end = codeAt + code.length;
  try {
    const pages = Math.ceil((end + padding) / 65536) - wasm.memory.buffer.byteLength / 65536;
    if (pages > 0) wasm.memory.grow(pages);
    const heap = new Uint8Array(wasm.memory.buffer);
    heap.set(code, codeAt);
    heap.fill(0, end, end + padding);
    wasm.flags();
    let p = codeAt;
    for (let left = count; left > 0 && p >= 0; left -= bodiesPerCall) p = wasm.scan(p, end, Math.min(left, bodiesPerCall));
    return p === end ? codeFeaturesOf(wasm.flags(), count, []) : undefined;
  } catch {
    // Out of memory for a huge section, or a trap: the JavaScript scan decides.
    return undefined;
  }
}
