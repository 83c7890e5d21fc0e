/**
 * An environment with its unset variables left out (Node's `process.env` type allows
 * `undefined` values; the runtime's host, child processes and Python see only set ones).
 *
 * @example
 * definedEnv({ HOME: "/root", UNSET: undefined }); // { HOME: "/root" }
 */
export function definedEnv(env: Record<string, string | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) result[name] = value;
  return result;
}
