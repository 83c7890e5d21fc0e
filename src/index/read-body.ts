import { KilnError } from "../core/index.js";
import type { HttpResponse } from "./http-client.js";

/** Options for {@link readBody}. */
export interface ReadBodyOptions {
  /** Refuse bodies larger than this many bytes (a hostile or broken server). */
  maxBytes?: number;
  /** Called after each chunk with the bytes received so far and the announced total. */
  onProgress?: (receivedBytes: number, totalBytes: number | undefined) => void;
}

/**
 * Reads a response body into one `Uint8Array`, enforcing a size limit and checking that the
 * server sent as many bytes as its `Content-Length` promised (a dropped connection otherwise
 * looks like a short, valid body).
 *
 * @example
 * const bytes = await readBody(response, { maxBytes: 64 * 1024 * 1024 });
 */
export async function readBody(response: HttpResponse, options: ReadBodyOptions = {}): Promise<Uint8Array> {
  const announced = parseContentLength(response);
  const limit = options.maxBytes ?? Number.POSITIVE_INFINITY;
  if (announced !== undefined && announced > limit) {
    response.cancel();
    throw tooLarge(response, limit);
  }
  const chunks: Uint8Array[] = [];
  let received = 0;
  for await (const chunk of response.body) {
    received += chunk.byteLength;
    if (received > limit) {
      response.cancel();
      throw tooLarge(response, limit);
    }
    chunks.push(chunk);
    options.onProgress?.(received, announced);
  }
  if (announced !== undefined && received < announced) {
    throw new KilnError("networkError", `The connection to ${response.url} closed after ${received} of ${announced} bytes`, {
      hint: "The server dropped the connection; try again",
    });
  }
  return concatBytes(chunks, received);
}

/** The `Content-Length` when it describes the decoded body (no `Content-Encoding`). */
function parseContentLength(response: HttpResponse): number | undefined {
  const encoding = response.headers.get("content-encoding");
  if (encoding && encoding.toLowerCase() !== "identity") return undefined;
  const value = response.headers.get("content-length");
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

function tooLarge(response: HttpResponse, limit: number): KilnError {
  return new KilnError("responseTooLarge", `The response from ${response.url} is larger than ${limit} bytes`, {
    hint: "The server sent far more than an index page or file should be; check the URL",
  });
}

/**
 * Joins byte chunks into one array.
 *
 * @example
 * concatBytes([new Uint8Array([1]), new Uint8Array([2, 3])]); // Uint8Array [1, 2, 3]
 */
export function concatBytes(chunks: Uint8Array[], total?: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total ?? chunks.reduce((sum, c) => sum + c.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
