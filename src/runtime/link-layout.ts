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

const magic = 0x6b4c4c31; // "kLL1"
const headerWords = 5;

/**
 * The bytes of a {@link LinkLayout}: a header, the values, the kinds, and an FNV-1a checksum of
 * everything before it.
 *
 * @example
 * await store.write(name, encodeLinkLayout(layout));
 */
export function encodeLinkLayout(layout: LinkLayout): Uint8Array {
  const words = headerWords + layout.count + Math.ceil(layout.count / 4) + 1;
  const bytes = new Uint8Array(words * 4);
  const view = new DataView(bytes.buffer);
  [magic, layout.tableBefore, layout.tableAfter, layout.count, 0].forEach((word, index) => view.setUint32(index * 4, word >>> 0, true));
  layout.values.forEach((value, index) => view.setInt32((headerWords + index) * 4, value, true));
  bytes.set(layout.kinds, (headerWords + layout.count) * 4);
  view.setUint32(bytes.length - 4, checksum(bytes.subarray(0, bytes.length - 4)), true);
  return bytes;
}

/**
 * The {@link LinkLayout} in `bytes`, or undefined when they are not one (wrong magic, length or
 * checksum, or a kind that does not exist).
 *
 * @example
 * const layout = tryDecodeLinkLayout(readFileSync(path));
 */
export function tryDecodeLinkLayout(bytes: Uint8Array): LinkLayout | undefined {
  if (bytes.length < (headerWords + 1) * 4 || bytes.length % 4 !== 0) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const word = (index: number) => view.getUint32(index * 4, true);
  const count = word(3);
  if (word(0) !== magic || bytes.length !== (headerWords + count + Math.ceil(count / 4) + 1) * 4) return undefined;
  if (word(bytes.length / 4 - 1) !== checksum(bytes.subarray(0, bytes.length - 4))) return undefined;
  const values = new Int32Array(count);
  for (let index = 0; index < count; index++) values[index] = view.getInt32((headerWords + index) * 4, true);
  const kinds = bytes.slice((headerWords + count) * 4, (headerWords + count) * 4 + count);
  if (kinds.some((kind) => kind > 2)) return undefined;
  return { tableBefore: word(1), tableAfter: word(2), count, kinds, values };
}

function checksum(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < bytes.length; index++) hash = Math.imul(hash ^ bytes[index]!, 0x01000193);
  return hash >>> 0;
}
