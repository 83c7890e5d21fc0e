/**
 * Shared foundations used by every layer: the error model, the reporting interface, and byte
 * comparison.
 * Browser-safe; no I/O.
 */
export { KilnError, isKilnError, type KilnErrorOptions } from "./kiln-error.js";
export { errorCodes, type ErrorCode } from "./error-codes.js";
export { silentReporter, type Reporter, type TaskReporter } from "./reporter.js";
export { sameBytes } from "./same-bytes.js";
