/**
 * Shared foundations used by every layer: the error model and the reporting interface.
 * Browser-safe; no I/O.
 */
export { KilnError, isKilnError, type KilnErrorOptions } from "./kiln-error.js";
export { errorCodes, type ErrorCode } from "./error-codes.js";
export { silentReporter, type Reporter, type TaskReporter } from "./reporter.js";
