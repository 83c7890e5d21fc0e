import { parseContentRange } from "./http-range-source.js";
import type { HttpSession } from "./http-session.js";
import { HttpStatusError } from "./http-status-error.js";
import { readBody } from "./read-body.js";
import { withRetries } from "./with-retries.js";

/**
 * The size of the file at `url` as its server reports it, for a lock file's `size` where the index
 * listed none (an HTML page has no sizes; PEP 751: "Tools SHOULD provide the file size when
 * reasonably possible (e.g. the file size is available via the Content-Length header from a HEAD
 * HTTP request)"). A HEAD request's `Content-Length`; from a server that sends none, the total of
 * a one-byte range request's `Content-Range`, else the length of the whole body. With the
 * session's authentication and retries; HTTP errors throw, as for any download, and so does
 * an offline session.
 *
 * @example
 * const size = await fetchFileSize(session, "https://files.pythonhosted.org/…/idna-3.10-py3-none-any.whl"); // 70442
 */
export async function fetchFileSize(session: HttpSession, url: string, options: { signal?: AbortSignal } = {}): Promise<number> {
  if (session.offline) throw session.offlineError(url);
  const headers = { "accept-encoding": "identity" };
  return withRetries(async () => {
    const head = await session.send({ url, method: "HEAD", headers, signal: options.signal });
    head.cancel();
    // A server that refuses HEAD (405) is asked with GET; its error, if any, is the one reported.
    const length = head.status === 200 ? contentLength(head.headers.get("content-length")) : undefined;
    if (length !== undefined) return length;
    const ranged = await session.send({ url, headers: { ...headers, range: "bytes=0-0" }, signal: options.signal });
    const total = ranged.status === 206 ? parseContentRange(ranged.headers.get("content-range"))?.total : undefined;
    if (total !== undefined || ranged.status === 206) ranged.cancel();
    if (total !== undefined) return total;
    const whole = ranged.status === 206 ? await session.send({ url, headers, signal: options.signal }) : ranged;
    if (whole.status !== 200) throw HttpStatusError.from(whole);
    return (await readBody(whole)).byteLength;
  }, session.retryOptions(url, options.signal));
}

function contentLength(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined;
  const length = Number(value);
  return Number.isSafeInteger(length) ? length : undefined;
}
