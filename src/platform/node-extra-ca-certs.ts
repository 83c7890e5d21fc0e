/**
 * `NODE_EXTRA_CA_CERTS` without its start-up cost. Node reads and parses the file it names at every
 * process start, before any JavaScript runs, whether or not the process ever connects: ~40 ms of
 * CPU for a system bundle of ~150 certificates (`node -e 0`: 70 ms with it, 23 ms without, on
 * the development machine, where CI images commonly set it). A virtual environment's `bin/python`
 * runs Python far more often than it reaches the network (only `pip` does), so its shell launcher
 * moves the variable aside ({@link deferredExtraCaCertsVariable}) and the launcher's first line
 * puts it back ({@link restoreDeferredExtraCaCerts}): Python and every child see the environment
 * unchanged, and kiln's HTTPS client adds the bundle itself when it connects
 * ({@link deferredExtraCaCerts}), as Node would have.
 */

/** Where the shell launcher keeps `NODE_EXTRA_CA_CERTS` while Node starts. */
export const deferredExtraCaCertsVariable = "KILN_DEFERRED_NODE_EXTRA_CA_CERTS";

// On the global object: the launcher and the code-cached bundle each have their own module copy.
const deferredKey = Symbol.for("kiln.deferredNodeExtraCaCerts");

/**
 * Puts `NODE_EXTRA_CA_CERTS` back from where the launcher moved it, and remembers that Node has
 * not loaded it. Call it first thing in an entry point whose launcher defers the variable.
 *
 * @example
 * restoreDeferredExtraCaCerts(process.env); // NODE_EXTRA_CA_CERTS as the user set it
 */
export function restoreDeferredExtraCaCerts(env: Record<string, string | undefined>): void {
  const value = env[deferredExtraCaCertsVariable];
  if (value === undefined) return;
  delete env[deferredExtraCaCertsVariable];
  env.NODE_EXTRA_CA_CERTS = value;
  (globalThis as Record<symbol, unknown>)[deferredKey] = value;
}

/**
 * The `NODE_EXTRA_CA_CERTS` file Node did not load because the launcher deferred it, which kiln's
 * HTTPS client must add to its roots itself; undefined when Node loaded it (or there is none).
 *
 * @example
 * const path = deferredExtraCaCerts(); // "/etc/ssl/certs/ca-certificates.crt"
 */
export function deferredExtraCaCerts(): string | undefined {
  const value = (globalThis as Record<symbol, unknown>)[deferredKey];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * The shell line a launcher runs before `exec node …` to defer the variable (POSIX `sh`).
 *
 * @example
 * [ "#!/bin/sh", deferExtraCaCertsShell, "exec node …" ].join("\n");
 */
export const deferExtraCaCertsShell = `if [ -n "\${NODE_EXTRA_CA_CERTS+set}" ]; then export ${deferredExtraCaCertsVariable}="$NODE_EXTRA_CA_CERTS"; unset NODE_EXTRA_CA_CERTS; fi`;
