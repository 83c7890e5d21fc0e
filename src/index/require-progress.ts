import { KilnError } from "../core/index.js";
import type { HttpResponse } from "./http-client.js";
import { redactUrl } from "./redact-url.js";

/**
 * The least a body must grow by in each timeout period. An idle timeout alone (pip's socket
 * timeout, uv's read timeout) restarts on every byte, so a server that trickles a byte every few
 * seconds holds a download open forever; 1 KiB per period (34 bytes/s at the default 30 s) is
 * far below any working connection.
 */
export const minimumProgressBytes = 1024;

/**
 * The response with a body that fails with `httpTimeout` (retried like a stall) when fewer than
 * {@link minimumProgressBytes} arrive within `timeoutMs`, measured from the first read and again
 * from each time that much arrived. A body that ends first is never cut short, however slowly it
 * came.
 *
 * @example
 * const response = requireProgress(await http.request({ url, idleTimeoutMs: 30_000 }), 30_000);
 * const bytes = await readBody(response);
 */
export function requireProgress(response: HttpResponse, timeoutMs: number): HttpResponse {
  return { ...response, body: guardedBody(response, timeoutMs) };
}

async function* guardedBody(response: HttpResponse, timeoutMs: number): AsyncGenerator<Uint8Array> {
  let since = performance.now();
  let bytes = 0;
  for await (const chunk of response.body) {
    bytes += chunk.byteLength;
    if (bytes >= minimumProgressBytes) {
      since = performance.now();
      bytes = 0;
    } else if (performance.now() - since > timeoutMs) {
      response.cancel();
      throw new KilnError("httpTimeout", `${redactUrl(response.url)} sent only ${bytes} bytes in ${timeoutMs} ms`, {
        hint: "The server is sending too slowly to ever finish; try again later or another index, or raise the timeout (--timeout, PIP_TIMEOUT)",
      });
    }
    yield chunk;
  }
}
