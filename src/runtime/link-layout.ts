/**
 * What Emscripten's `updateGOT` gave the main module's exports in one runtime build (see
 * `patchPyodideGlue`): per export, in the order of `Object.keys(instance.exports)`, whether it
 * got a GOT entry (1: a function, with its table index; 2: data, with its address; 0: none) and
 * the entry's value, plus the table's length before and after. It depends only on the build, so
 * it is recorded once and reused.
 */
export interface LinkLayout {
  tableBefore: number;
  tableAfter: number;
  count: number;
  kinds: Uint8Array;
  values: Int32Array;
}

const magic = 0x6b4c4c32; // "kLL2"
const headerWords = 5;

/** A checksum of bytes (CRC-32 where the platform has it natively: a layout is ~45 KB, read at every start). */
export type LayoutChecksum = (bytes: Uint8Array) => number;

// Values are stored little-endian: on such a host (all kiln runs on) they are copied, not read one by one.
const littleEndian = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * The bytes of a {@link LinkLayout}: a header, the values, the kinds, and a `checksum` of
 * everything before it.
 *
 * @example
 * await store.write(name, encodeLinkLayout(layout, { checksum: crc32 }));
 */
export function encodeLinkLayout(layout: LinkLayout, options: { checksum: LayoutChecksum }): Uint8Array {
  const words = headerWords + layout.count + Math.ceil(layout.count / 4) + 1;
  const bytes = new Uint8Array(words * 4);
  const view = new DataView(bytes.buffer);
  [magic, layout.tableBefore, layout.tableAfter, layout.count, 0].forEach((word, index) => view.setUint32(index * 4, word >>> 0, true));
  layout.values.forEach((value, index) => view.setInt32((headerWords + index) * 4, value, true));
  bytes.set(layout.kinds, (headerWords + layout.count) * 4);
  view.setUint32(bytes.length - 4, options.checksum(bytes.subarray(0, bytes.length - 4)) >>> 0, true);
  return bytes;
}

/**
 * The {@link LinkLayout} in `bytes`, or undefined when they are not one (wrong magic, length or
 * checksum, or a kind that does not exist); `checksum` as the layout was encoded with.
 *
 * @example
 * const layout = tryDecodeLinkLayout(readFileSync(path), { checksum: crc32 });
 */
export function tryDecodeLinkLayout(bytes: Uint8Array, options: { checksum: LayoutChecksum }): LinkLayout | undefined {
  if (bytes.length < (headerWords + 1) * 4 || bytes.length % 4 !== 0) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const word = (index: number) => view.getUint32(index * 4, true);
  const count = word(3);
  if (word(0) !== magic || bytes.length !== (headerWords + count + Math.ceil(count / 4) + 1) * 4) return undefined;
  if (word(bytes.length / 4 - 1) !== options.checksum(bytes.subarray(0, bytes.length - 4)) >>> 0) return undefined;
  const start = bytes.byteOffset + headerWords * 4;
  let values: Int32Array;
  if (littleEndian) values = new Int32Array(bytes.buffer.slice(start, start + count * 4));
  else {
    values = new Int32Array(count);
    for (let index = 0; index < count; index++) values[index] = view.getInt32((headerWords + index) * 4, true);
  }
  const kinds = bytes.slice((headerWords + count) * 4, (headerWords + count) * 4 + count);
  if (largest(kinds) > 2) return undefined;
  return { tableBefore: word(1), tableAfter: word(2), count, kinds, values };
}

/** The largest byte, by a built-in over slices (a per-byte callback runs uncompiled at every start). */
function largest(bytes: Uint8Array): number {
  let found = 0;
  for (let at = 0; at < bytes.length; at += 8192) found = Math.max(found, Math.max.apply(null, bytes.subarray(at, at + 8192) as unknown as number[]));
  return found;
}
