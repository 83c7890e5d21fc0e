/**
 * Reading zip archives (wheels, sdists) over any random-access source: bytes in memory, a file,
 * or HTTP range requests; entry names are checked so no path can escape its destination.
 *
 * Quirks worth knowing (PKWARE APPNOTE https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT):
 * the central directory at the end is authoritative (local headers may carry zeros when a data
 * descriptor follows the data); sizes and offsets of 0xFFFFFFFF mean "see the zip64 extra field";
 * names without flag bit 11 are code page 437, not UTF-8. Wheels add RECORD (CSV of path, hash,
 * size; https://packaging.python.org/en/latest/specifications/recording-installed-packages/) and
 * WHEEL (email headers; https://packaging.python.org/en/latest/specifications/binary-distribution-format/).
 *
 * Tar (sdists, https://packaging.python.org/en/latest/specifications/source-distribution-format/):
 * POSIX ustar splits long names into `prefix` + `name`; pax `x` headers override the next entry's
 * path, link path and size; GNU uses `L`/`K` pseudo-entries for long names and base-256 numbers;
 * checksums may have been summed as signed bytes; the two zero blocks at the end are often missing.
 */
export { bytesSource, type RandomAccessSource } from "./random-access-source.js";
export { openZip, type OpenZipOptions, type ZipArchive, type ZipCodecs } from "./open-zip.js";
export type { ZipEntry, ZipCompressionMethod } from "./zip-entry.js";
export { crc32 } from "./crc32.js";
export { safeEntryPath } from "./safe-entry-path.js";
export { parseRecord, formatRecord, type RecordRow } from "./record.js";
export { recordHash, parseRecordHash, formatRecordHash, urlsafeBase64, recordHashAlgorithms, type RecordHash } from "./record-hash.js";
export { parseWheelFile, type WheelFile } from "./wheel-file.js";
export { gunzipBounded, type GunzipBoundedOptions } from "./gunzip-bounded.js";
export { openTar, type OpenTarOptions, type TarArchive, type TarEntry } from "./open-tar.js";
export { checkTarLinks } from "./check-tar-links.js";
export { parseTarHeader, parsePaxRecords, type TarHeader } from "./tar-header.js";
