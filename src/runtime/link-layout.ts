/**
 * What Emscripten's `updateGOT` gave the main module's exports in one runtime build (see
 * `patchPyodideGlue`): per export, in the order of `Object.keys(instance.exports)`, whether it
 * got a GOT entry (1: a function, with its table index; 2: data, with its address; 0: none) and
 * the entry's value, plus the table's length before and after. `existing` names the GOT entries
 * there were before (the ones the main module imports itself), each with its export's position
 * (-1: not an export), so that a start can set those without listing the 8,560 exports' names
 * (`Object.keys` of the exports: ~3 ms). It depends only on the build, so it is recorded once
 * and reused.
 */
export interface LinkLayout {
  tableBefore: number;
  tableAfter: number;
  count: number;
  kinds: Uint8Array;
  values: Int32Array;
  existing: { names: string[]; positions: Int32Array };
}

const magic = 0x6b4c4c33; // "kLL3"
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
  const { names, positions } = layout.existing;
  // Names are joined by newlines; a layout whose names hold one keeps none (starts then list the exports' names).
  const joined = names.some((name) => name.includes("\n")) ? undefined : new TextEncoder().encode(names.join("\n"));
  const existingCount = joined ? names.length : 0;
  const existingBytes = 8 + existingCount * 4 + align4(joined?.length ?? 0);
  const fixedWords = headerWords + layout.count + Math.ceil(layout.count / 4);
  const bytes = new Uint8Array(fixedWords * 4 + existingBytes + 4);
  const view = new DataView(bytes.buffer);
  [magic, layout.tableBefore, layout.tableAfter, layout.count, existingBytes].forEach((word, index) => view.setUint32(index * 4, word >>> 0, true));
  layout.values.forEach((value, index) => view.setInt32((headerWords + index) * 4, value, true));
  bytes.set(layout.kinds, (headerWords + layout.count) * 4);
  let at = fixedWords * 4;
  view.setUint32(at, existingCount, true);
  for (let index = 0; index < existingCount; index++) view.setInt32(at + 4 + index * 4, positions[index]!, true);
  at += 4 + existingCount * 4;
  view.setUint32(at, joined && existingCount ? joined.length : 0, true);
  if (joined && existingCount) bytes.set(joined, at + 4);
  view.setUint32(bytes.length - 4, options.checksum(bytes.subarray(0, bytes.length - 4)) >>> 0, true);
  return bytes;
}

function align4(length: number): number {
  return Math.ceil(length / 4) * 4;
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
  const existingBytes = word(4);
  const fixedWords = headerWords + count + Math.ceil(count / 4);
  if (word(0) !== magic || existingBytes < 8 || existingBytes % 4 !== 0 || bytes.length !== fixedWords * 4 + existingBytes + 4) return undefined;
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
  const existing = decodeExisting(bytes.subarray(fixedWords * 4, fixedWords * 4 + existingBytes), count);
  return existing && { tableBefore: word(1), tableAfter: word(2), count, kinds, values, existing };
}

/** The `existing` section: a count, the positions, the names' byte length and the names joined by newlines. */
function decodeExisting(section: Uint8Array, count: number): LinkLayout["existing"] | undefined {
  const view = new DataView(section.buffer, section.byteOffset, section.byteLength);
  const existingCount = view.getUint32(0, true);
  if (8 + existingCount * 4 > section.length) return undefined;
  const positions = new Int32Array(existingCount);
  for (let index = 0; index < existingCount; index++) positions[index] = view.getInt32(4 + index * 4, true);
  const namesLength = view.getUint32(4 + existingCount * 4, true);
  const namesStart = 8 + existingCount * 4;
  if (namesStart + align4(namesLength) !== section.length || positions.some((position) => position < -1 || position >= count)) return undefined;
  const names = existingCount ? new TextDecoder().decode(section.subarray(namesStart, namesStart + namesLength)).split("\n") : [];
  return names.length === existingCount ? { names, positions } : undefined;
}

/** The largest byte, by a built-in over slices (a per-byte callback runs uncompiled at every start). */
function largest(bytes: Uint8Array): number {
  let found = 0;
  for (let at = 0; at < bytes.length; at += 8192) found = Math.max(found, Math.max.apply(null, bytes.subarray(at, at + 8192) as unknown as number[]));
  return found;
}
