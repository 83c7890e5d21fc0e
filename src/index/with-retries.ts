import { KilnError, isKilnError } from "../core/index.js";
import { HttpStatusError } from "./http-status-error.js";

/** How often and how patiently to retry a failing request. */
export interface RetryPolicy {
  /** Attempts after the first one. */
  retries: number;
  /** The delay before the first retry; it doubles each time (with jitter). */
  initialDelayMs: number;
  /** No delay (including `Retry-After`) is longer than this. */
  maxDelayMs: number;
}

/** pip and uv retry a handful of times with exponential backoff; kiln does the same. */
export const defaultRetryPolicy: RetryPolicy = { retries: 3, initialDelayMs: 250, maxDelayMs: 8_000 };

/** Options for {@link withRetries}. */
export interface WithRetriesOptions {
  policy?: RetryPolicy;
  signal?: AbortSignal;
  /** Told before each retry: for `-v` output. */
  onRetry?: (error: KilnError, attempt: number, delayMs: number) => void;
}

/**
 * Runs `action` (a request and the reading and checking of its body) until it succeeds, fails
 * with an error that retrying cannot fix, or runs out of attempts; then throws the last error,
 * saying how many attempts were made. Transient: connection failures and resets (`networkError`),
 * stalls (`httpTimeout`), 408/429/5xx, garbage bodies (`invalidIndexPage`) and corrupt downloads
 * (`hashMismatch`).
 *
 * @example
 * const page = await withRetries(async () => parse(await readBody(await http.request({ url }))));
 */
export async function withRetries<T>(action: (attempt: number) => Promise<T>, options: WithRetriesOptions = {}): Promise<T> {
  const policy = options.policy ?? defaultRetryPolicy;
  for (let attempt = 0; ; attempt++) {
    try {
      return await action(attempt);
    } catch (error) {
      if (!isRetryable(error) || options.signal?.aborted) throw error;
      if (attempt >= policy.retries) throw gaveUp(error, attempt + 1);
      const delay = backoffDelay(policy, attempt, error);
      options.onRetry?.(error, attempt + 1, delay);
      await sleep(delay, options.signal);
    }
  }
}

/**
 * True for failures another attempt may cure.
 *
 * @example
 * isRetryable(new KilnError("httpTimeout", "…")); // true
 */
export function isRetryable(error: unknown): error is KilnError {
  if (error instanceof HttpStatusError) return error.retryable;
  return (
    isKilnError(error, "networkError") ||
    isKilnError(error, "httpTimeout") ||
    isKilnError(error, "invalidIndexPage") ||
    isKilnError(error, "hashMismatch")
  );
}

function backoffDelay(policy: RetryPolicy, attempt: number, error: KilnError): number {
  const exponential = policy.initialDelayMs * 2 ** attempt;
  const jittered = exponential / 2 + Math.random() * (exponential / 2);
  const retryAfter = error instanceof HttpStatusError ? (error.retryAfterMs ?? 0) : 0;
  return Math.min(policy.maxDelayMs, Math.max(jittered, retryAfter));
}

function gaveUp(error: KilnError, attempts: number): KilnError {
  if (attempts === 1) return error;
  const message = `${error.message} (gave up after ${attempts} attempts)`;
  if (error instanceof HttpStatusError) return new HttpStatusError(error.url, error.status, message, error.retryAfterMs);
  return new KilnError(error.code, message, { hint: error.hint, cause: error.cause });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
