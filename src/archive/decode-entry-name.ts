import { KilnError } from "../core/index.js";

// Code page 437 above 0x7f, the encoding zip assumes for names without the UTF-8 flag (APPNOTE
// appendix D); Python's zipfile decodes the same way, so both see the same names.
const cp437High =
  "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀" +
  "αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0";

// Made on first use: Node builds a fatal decoder with ICU (~0.15 ms), and every `kiln pip`
// command loads this module, while only unpacking a wheel decodes names.
let utf8: TextDecoder | undefined;

/**
 * Decodes an entry name: UTF-8 when general-purpose flag bit 11 is set, code page 437 otherwise.
 *
 * @example
 * decodeEntryName(new TextEncoder().encode("a/b.py"), true); // "a/b.py"
 */
export function decodeEntryName(bytes: Uint8Array, isUtf8: boolean): string {
  if (isUtf8) {
    try {
      return (utf8 ??= new TextDecoder("utf-8", { fatal: true })).decode(bytes);
    } catch (error) {
      throw new KilnError("invalidZip", "Cannot read zip entry name: flagged UTF-8 but not valid UTF-8", { cause: error });
    }
  }
  let name = "";
  for (const byte of bytes) name += byte < 0x80 ? String.fromCharCode(byte) : cp437High[byte - 0x80]!;
  return name;
}
