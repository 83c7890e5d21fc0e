import type { ErrorCode } from "./error-codes.js";

/** Options accepted by {@link KilnError}. */
export interface KilnErrorOptions {
  /** What the user can do about it, shown as a `hint:` line. */
  hint?: string;
  /** The lower-level error that caused this one. */
  cause?: unknown;
}

/**
 * The one error type kiln throws for bad input, failed I/O and failed workflows.
 *
 * The message names the action and the offending input; `code` is stable and listed in
 * `error-codes.ts`. Programmer errors stay `TypeError`/`RangeError`.
 *
 * @example
 * throw new KilnError("invalidVersion", 'Cannot parse version "1..0": empty release segment', {
 *   hint: "Versions look like 1.0, 2.3.1rc1 or 1!2.0.post3",
 * });
 */
export class KilnError extends Error {
  override name = "KilnError";
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: KilnErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
  }
}

/**
 * True when `value` is a {@link KilnError}, optionally with the given code.
 *
 * @example
 * if (isKilnError(error, "invalidVersion")) return undefined;
 */
export function isKilnError(value: unknown, code?: ErrorCode): value is KilnError {
  return value instanceof KilnError && (code === undefined || value.code === code);
}
