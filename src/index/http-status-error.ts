import { KilnError } from "../core/index.js";
import type { HttpResponse } from "./http-client.js";

/**
 * An HTTP error status, as a `KilnError` with code `httpStatus` that also carries the status and
 * any `Retry-After`, so the retry loop can tell a 503 (try again) from a 404 (do not).
 *
 * @example
 * if (response.status >= 400) throw HttpStatusError.from(response, "GET");
 */
export class HttpStatusError extends KilnError {
  constructor(
    readonly url: string,
    readonly status: number,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super("httpStatus", message, { hint: hintFor(status) });
  }

  /** The error for an error response; cancels its body. */
  static from(response: HttpResponse): HttpStatusError {
    response.cancel();
    const text = `${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
    return new HttpStatusError(
      response.url,
      response.status,
      `${response.url} answered HTTP ${text}`,
      parseRetryAfter(response.headers.get("retry-after")),
    );
  }

  /** 408, 429 and every 5xx are worth another try. */
  get retryable(): boolean {
    return this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

function hintFor(status: number): string {
  if (status === 401 || status === 403) {
    return "The index wants credentials: put them in the URL (https://user:token@host/simple/) or in ~/.netrc";
  }
  if (status === 404) return "Check the URL; the index does not have it";
  if (status === 429) return "The index is rate-limiting kiln; wait and try again";
  if (status >= 500) return "The index has a problem on its side; try again later";
  return "Check the index URL and your credentials";
}

function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
