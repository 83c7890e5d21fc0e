import { openZip, type RandomAccessSource, type ZipCodecs, type ZipEntry } from "../archive/index.js";
import { KilnError, isKilnError } from "../core/index.js";
import { normalizeName } from "../pep508/index.js";

const maxMetadataBytes = 16 * 1024 * 1024;

/**
 * Reads `<name>-<version>.dist-info/METADATA` from a wheel through a {@link RandomAccessSource},
 * touching only the zip's end records, its central directory and that one entry: over HTTP
 * range requests a few KiB instead of the whole wheel (the zip reader's first read is the last
 * 64 KiB, which {@link HttpRangeSource} already holds). `label` names the wheel in errors;
 * `codecs` are the platform's native zip codecs, if any.
 *
 * @example
 * const text = await readWheelMetadata(await HttpRangeSource.open(session, url), "demo-1.0-py3-none-any.whl");
 */
export async function readWheelMetadata(source: RandomAccessSource, label: string, codecs?: ZipCodecs): Promise<string> {
  try {
    const archive = await openZip(source, codecs ? { maxEntrySize: maxMetadataBytes, codecs } : { maxEntrySize: maxMetadataBytes });
    const entry = pickMetadataEntry(archive.entries, label);
    return new TextDecoder().decode(await archive.readEntry(entry));
  } catch (error) {
    if (!isKilnError(error) || error.code === "metadataUnavailable") throw error;
    if (["networkError", "httpTimeout", "httpStatus", "hashMismatch", "offline"].includes(error.code)) throw error;
    throw new KilnError("metadataUnavailable", `Cannot read the metadata of ${label}: ${error.message}`, {
      cause: error,
      hint: "The wheel is damaged or not a zip archive",
    });
  }
}

/** The METADATA of the wheel's own `.dist-info` directory (named after the wheel when several). */
function pickMetadataEntry(entries: readonly ZipEntry[], label: string): ZipEntry {
  const candidates = entries.filter((e) => /^[^/]+\.dist-info\/METADATA$/.test(e.name));
  if (candidates.length === 1) return candidates[0]!;
  const [name, version] = label.split("-");
  const wanted = `${normalizeName(name ?? "")}-${version ?? ""}`;
  const named = candidates.find((e) => {
    const [entryName, entryVersion] = e.name.split(".dist-info/")[0]!.split("-");
    return `${normalizeName(entryName ?? "")}-${entryVersion ?? ""}` === wanted;
  });
  if (named) return named;
  throw new KilnError("metadataUnavailable", `Cannot read the metadata of ${label}: ${candidates.length === 0 ? "no .dist-info/METADATA entry" : "several .dist-info directories"}`, {
    hint: "The wheel is damaged or not a wheel",
  });
}
