import { KilnError, isKilnError } from "../core/index.js";
import { BlobCache, digestHex, readCacheRecord, writeCacheRecord } from "../cache/index.js";
import type { DistributionFile } from "./distribution-file.js";
import { HttpRangeSource } from "./http-range-source.js";
import type { HttpSession } from "./http-session.js";
import { HttpStatusError } from "./http-status-error.js";
import { bytesSource } from "../archive/index.js";
import { readWheelMetadata } from "./read-wheel-metadata.js";
import { redactUrl } from "./redact-url.js";
import { verifyHashes } from "./verify-hashes.js";

/** Options for {@link fetchCoreMetadata}. */
export interface FetchCoreMetadataOptions {
  signal?: AbortSignal;
  /** Called with how the metadata was obtained, for `-v` output and benchmarks. */
  onFetched?: (how: { via: "cache" | "metadata-file" | "range-requests" | "whole-file"; bytesFetched: number; fileSize?: number }) => void;
}

/**
 * The core metadata of a wheel on an HTTP(S) index, fetched as cheaply as the index allows:
 * 1. the metadata cache (keyed by the wheel's sha256, or its URL when no hash is listed);
 * 2. the PEP 658 file `<url>.metadata`, only when the index advertises it (`coreMetadata`), its
 *    hash checked against the advertised one (PEP 714);
 * 3. HTTP range requests for the wheel's zip directory and `METADATA` entry;
 * 4. the whole wheel (when the server ignores or refuses ranges), which is then hash-checked
 *    and cached, so installing it later costs nothing.
 * Source distributions carry no reliable metadata without a build: `metadataUnavailable`.
 *
 * @example
 * const text = await fetchCoreMetadata(session, file);
 */
export async function fetchCoreMetadata(
  session: HttpSession,
  file: DistributionFile,
  options: FetchCoreMetadataOptions = {},
): Promise<string> {
  if (!file.filename.endsWith(".whl")) {
    throw new KilnError("metadataUnavailable", `Cannot read the metadata of ${file.filename} without building it`, {
      hint: "kiln resolves from wheels; source distributions need a build step it does not run",
    });
  }
  const key = await metadataCacheKey(file);
  const cached = session.cache ? await readCacheRecord<{ url: string }>(session.cache, key) : undefined;
  if (cached && (!session.refresh || file.hashes.sha256)) {
    options.onFetched?.({ via: "cache", bytesFetched: 0 });
    return new TextDecoder().decode(cached.body);
  }
  const sha256 = file.hashes.sha256;
  const blob = sha256 && /^[0-9a-f]{64}$/.test(sha256) && session.cache ? await new BlobCache(session.cache).get(sha256) : undefined;
  let text: string;
  if (blob) {
    text = await readWheelMetadata(bytesSource(blob), file.filename);
    options.onFetched?.({ via: "cache", bytesFetched: 0 });
  } else {
    if (session.offline) throw session.offlineError(`${file.url} (metadata)`);
    text = await fetchRemote(session, file, options);
  }
  if (session.cache) await writeCacheRecord(session.cache, key, { url: file.url }, new TextEncoder().encode(text));
  return text;
}

async function fetchRemote(session: HttpSession, file: DistributionFile, options: FetchCoreMetadataOptions): Promise<string> {
  if (file.coreMetadata) {
    const hashes = typeof file.coreMetadata === "object" ? file.coreMetadata : {};
    try {
      const bytes = await session.getFile(`${file.url}.metadata`, { hashes, signal: options.signal });
      options.onFetched?.({ via: "metadata-file", bytesFetched: bytes.byteLength });
      return new TextDecoder().decode(bytes);
    } catch (error) {
      // The index advertised a file it does not serve; the wheel itself is the fallback.
      if (!(error instanceof HttpStatusError && error.status === 404)) throw error;
      session.reporter.debug(`${redactUrl(file.url)}.metadata is advertised but missing; reading the wheel instead`);
    }
  }
  let source: HttpRangeSource | undefined;
  try {
    source = await HttpRangeSource.open(session, file.url, { signal: options.signal });
    const text = await readWheelMetadata(source, file.filename);
    const whole = source.wholeFile;
    if (whole) await session.storeVerifiedFile(whole, await verifyHashes(whole, file.hashes, redactUrl(file.url)));
    options.onFetched?.({ via: whole ? "whole-file" : "range-requests", bytesFetched: source.bytesFetched, fileSize: source.size });
    return text;
  } catch (error) {
    if (!isKilnError(error) || error.code === "hashMismatch" || source?.wholeFile || options.signal?.aborted) throw error;
    if (error instanceof HttpStatusError && [401, 403, 404].includes(error.status)) throw error;
    session.reporter.debug(`Range requests for ${redactUrl(file.url)} failed (${error.message}); downloading the whole wheel`);
  }
  const bytes = await session.getFile(file.url, { hashes: file.hashes, signal: options.signal });
  options.onFetched?.({ via: "whole-file", bytesFetched: bytes.byteLength });
  return readWheelMetadata(bytesSource(bytes), file.filename);
}

async function metadataCacheKey(file: DistributionFile): Promise<string> {
  const identity = file.hashes.sha256 ? `sha256:${file.hashes.sha256}` : `url:${file.url}`;
  return `metadata/v1/${await digestHex("sha256", new TextEncoder().encode(identity))}`;
}
