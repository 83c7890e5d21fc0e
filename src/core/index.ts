/**
 * Shared foundations used by every layer: the error model, the reporting interface, byte
 * comparison and random names.
 * Browser-safe; no I/O.
 */
export { KilnError, isKilnError, type KilnErrorOptions } from "./kiln-error.js";
export { errorCodes, type ErrorCode } from "./error-codes.js";
export { silentReporter, type Reporter, type TaskReporter } from "./reporter.js";
export { sameBytes } from "./same-bytes.js";
export { randomName } from "./random-name.js";
