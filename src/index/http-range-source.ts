import { KilnError } from "../core/index.js";
import { HttpStatusError } from "./http-status-error.js";
import type { HttpSession } from "./http-session.js";
import type { RandomAccessSource } from "../archive/index.js";
import { readBody } from "./read-body.js";
import { redactUrl } from "./redact-url.js";
import { withRetries } from "./with-retries.js";

/** Options for {@link HttpRangeSource.open}. */
export interface HttpRangeSourceOptions {
  /** How much of the end of the file the first request asks for (default 64 KiB). */
  tailBytes?: number;
  signal?: AbortSignal;
}

interface Segment {
  start: number;
  bytes: Uint8Array;
}

/**
 * A remote file read with HTTP range requests, as a {@link RandomAccessSource}. Opening it makes
 * one suffix request (`Range: bytes=-65536`) that returns the file's size and its tail: for a
 * wheel, the zip's central directory and usually the `.dist-info` files too, so reading METADATA
 * often costs that one request. Reads outside what is held make one more range request each.
 * A server that ignores `Range` and answers 200 sends the whole file, which is kept (see
 * {@link HttpRangeSource.wholeFile}) and served from memory.
 *
 * @example
 * const source = await HttpRangeSource.open(session, wheelUrl);
 * const zip = await readZipDirectory(source);
 */
export class HttpRangeSource implements RandomAccessSource {
  /** Bytes received over the network so far. */
  bytesFetched = 0;
  /** Range requests (and whole-file fallbacks) made so far. */
  requests = 0;
  private readonly segments: Segment[] = [];
  private constructor(
    private readonly session: HttpSession,
    readonly url: string,
    readonly size: number,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** Opens `url` with one suffix range request. */
  static async open(session: HttpSession, url: string, options: HttpRangeSourceOptions = {}): Promise<HttpRangeSource> {
    const tail = options.tailBytes ?? 64 * 1024;
    return withRetries(async () => {
      const response = await session.send({ url, headers: rangeHeaders(`bytes=-${tail}`), signal: options.signal });
      if (response.status === 206) {
        const range = parseContentRange(response.headers.get("content-range"));
        if (!range || range.total === undefined) {
          response.cancel();
          throw badRange(url, response.headers.get("content-range"));
        }
        const bytes = await readBody(response, { maxBytes: tail });
        if (bytes.byteLength !== range.end - range.start + 1) throw badRange(url, response.headers.get("content-range"));
        const source = new HttpRangeSource(session, url, range.total, options.signal);
        source.keep(range.start, bytes);
        return source;
      }
      if (response.status === 200) {
        const bytes = await readBody(response);
        const source = new HttpRangeSource(session, url, bytes.byteLength, options.signal);
        source.keep(0, bytes);
        return source;
      }
      throw HttpStatusError.from(response);
    }, session.retryOptions(url, options.signal));
  }

  /** The whole file, when the server sent all of it (it ignored `Range`). */
  get wholeFile(): Uint8Array | undefined {
    const first = this.segments[0];
    return first && first.start === 0 && first.bytes.byteLength === this.size ? first.bytes : undefined;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (offset < 0 || length < 0 || offset + length > this.size) {
      throw new KilnError("metadataUnavailable", `Cannot read ${length} bytes at offset ${offset} of ${redactUrl(this.url)} (${this.size} bytes): the zip points outside the file`, {
        hint: "The wheel is damaged",
      });
    }
    const held = this.find(offset, length);
    if (held) return held;
    return withRetries(async () => {
      const response = await this.session.send({ url: this.url, headers: rangeHeaders(`bytes=${offset}-${offset + length - 1}`), signal: this.signal });
      if (response.status === 200) {
        const bytes = await readBody(response);
        this.keep(0, bytes);
        return bytes.subarray(offset, offset + length);
      }
      if (response.status !== 206) throw HttpStatusError.from(response);
      const range = parseContentRange(response.headers.get("content-range"));
      const bytes = await readBody(response, { maxBytes: length });
      if (!range || range.start !== offset || bytes.byteLength !== length) throw badRange(this.url, response.headers.get("content-range"));
      this.keep(offset, bytes);
      return bytes;
    }, this.session.retryOptions(this.url, this.signal));
  }

  private keep(start: number, bytes: Uint8Array): void {
    this.requests++;
    this.bytesFetched += bytes.byteLength;
    this.segments.push({ start, bytes });
    this.segments.sort((a, b) => a.start - b.start || b.bytes.byteLength - a.bytes.byteLength);
  }

  private find(offset: number, length: number): Uint8Array | undefined {
    for (const segment of this.segments) {
      if (segment.start <= offset && offset + length <= segment.start + segment.bytes.byteLength) {
        return segment.bytes.subarray(offset - segment.start, offset - segment.start + length);
      }
    }
    return undefined;
  }
}

function rangeHeaders(range: string): Record<string, string> {
  // Compressed transfer would make byte offsets meaningless.
  return { range, "accept-encoding": "identity" };
}

/**
 * Parses `Content-Range: bytes 100-199/1000`.
 *
 * @example
 * parseContentRange("bytes 100-199/1000"); // { start: 100, end: 199, total: 1000 }
 */
export function parseContentRange(value: string | null): { start: number; end: number; total?: number } | undefined {
  const match = /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(value ?? "");
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (end < start) return undefined;
  return match[3] === "*" ? { start, end } : { start, end, total: Number(match[3]) };
}

function badRange(url: string, contentRange: string | null): KilnError {
  return new KilnError("networkError", `${redactUrl(url)} answered a range request with a wrong Content-Range "${contentRange ?? ""}"`, {
    hint: "A proxy or server mishandles range requests; kiln will download whole files if this persists",
  });
}
