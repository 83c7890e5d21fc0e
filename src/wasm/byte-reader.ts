import { WasmFormatError } from "./wasm-format-error.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * A bounds-checked cursor over part of a WebAssembly binary. Every read checks against `end`
 * (the end of the current section or body), so a hostile length can never read past it; each
 * failure is a {@link WasmFormatError} naming the absolute offset.
 *
 * @example
 * const reader = new ByteReader(bytes, { source: "m.wasm" });
 * const count = reader.u32();
 */
export class ByteReader {
  readonly bytes: Uint8Array;
  readonly source: string;
  offset: number;
  end: number;

  constructor(bytes: Uint8Array, options: { source: string; start?: number; end?: number }) {
    this.bytes = bytes;
    this.source = options.source;
    this.offset = options.start ?? 0;
    this.end = Math.min(options.end ?? bytes.length, bytes.length);
  }

  /** A reader over `size` bytes from the current offset, bounded by this one's end. */
  slice(size: number): ByteReader {
    this.need(size);
    return new ByteReader(this.bytes, { source: this.source, start: this.offset, end: this.offset + size });
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  /** Throws a format error at the current (or given) offset. */
  fail(problem: string, offset = this.offset): never {
    throw new WasmFormatError({ source: this.source, offset, problem });
  }

  need(size: number): void {
    if (size < 0 || this.offset + size > this.end) this.fail(`${size} bytes needed but only ${this.end - this.offset} remain`);
  }

  u8(): number {
    if (this.offset >= this.end) this.fail("unexpected end of data");
    return this.bytes[this.offset++]!;
  }

  /** Unsigned LEB128 of at most 32 bits (at most 5 bytes). */
  u32(): number {
    const start = this.offset;
    // One byte (most counts, indices and name lengths) needs no loop.
    if (start < this.end && this.bytes[start]! < 0x80) {
      this.offset = start + 1;
      return this.bytes[start]!;
    }
    let result = 0;
    // A running power of two: `2 ** shift` is a call to Math.pow until V8 optimises the loop.
    let scale = 1;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.u8();
      if (shift === 28 && byte > 0x0f) this.fail("LEB128 u32 is too large", start);
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) return result;
    }
    return this.fail("LEB128 u32 is longer than 5 bytes", start);
  }

  /** Unsigned LEB128 of at most 64 bits, as a number (exact up to 2^53). */
  u64(): number {
    const start = this.offset;
    let result = 0;
    let scale = 1;
    for (let shift = 0; shift < 70; shift += 7) {
      const byte = this.u8();
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) return result;
    }
    return this.fail("LEB128 u64 is longer than 10 bytes", start);
  }

  /** Signed LEB128 of at most `bits` bits, as a number (exact up to 2^53). */
  signed(bits: 32 | 33 | 64): number {
    if (bits === 64) return this.signed64();
    const start = this.offset;
    let result = 0;
    let scale = 1;
    const maxBytes = Math.ceil(bits / 7);
    for (let index = 0; index < maxBytes; index++) {
      const byte = this.u8();
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) return byte & 0x40 ? result - scale : result;
    }
    return this.fail(`LEB128 s${bits} is longer than ${maxBytes} bytes`, start);
  }

  private signed64(): number {
    const start = this.offset;
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.u8();
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return Number(BigInt.asIntN(64, byte & 0x40 ? result - (1n << (shift + 7n)) : result));
    }
    return this.fail("LEB128 s64 is longer than 10 bytes", start);
  }

  /** Skips one LEB128 number of at most `maxBytes` bytes without decoding it. */
  skipLeb(maxBytes = 10): void {
    const start = this.offset;
    for (let index = 0; index < maxBytes; index++) if ((this.u8() & 0x80) === 0) return;
    this.fail(`LEB128 number is longer than ${maxBytes} bytes`, start);
  }

  take(size: number): Uint8Array {
    this.need(size);
    const view = this.bytes.subarray(this.offset, this.offset + size);
    this.offset += size;
    return view;
  }

  skip(size: number): void {
    this.need(size);
    this.offset += size;
  }

  /** A length-prefixed UTF-8 name. */
  name(): string {
    const start = this.offset;
    const size = this.u32();
    const bytes = this.take(size);
    try {
      return utf8.decode(bytes);
    } catch {
      return this.fail("name is not valid UTF-8", start);
    }
  }

  /**
   * A length-prefixed vector. The count is checked against the bytes left (every element takes
   * at least `minimumSize` bytes), so a hostile count cannot make us allocate or loop for long.
   */
  vector<T>(readElement: (reader: ByteReader, index: number) => T, minimumSize = 1): T[] {
    const start = this.offset;
    const count = this.u32();
    if (count * minimumSize > this.remaining) this.fail(`vector of ${count} elements cannot fit in ${this.remaining} bytes`, start);
    const items: T[] = [];
    for (let index = 0; index < count; index++) items.push(readElement(this, index));
    return items;
  }

  /** Fails unless the reader consumed exactly its bytes. */
  expectEnd(what: string): void {
    if (this.offset !== this.end) this.fail(`${this.end - this.offset} unexpected bytes after the ${what}`);
  }
}
