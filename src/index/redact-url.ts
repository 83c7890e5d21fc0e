/**
 * A URL with any password replaced by `****`, for messages and for the `indexUrl` kiln records:
 * credentials must never reach logs, lock files or error output.
 *
 * @example
 * redactUrl("https://user:secret@example.org/simple/"); // "https://user:****@example.org/simple/"
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (!parsed.username && !parsed.password) return url;
  if (parsed.password) parsed.password = "****";
  else parsed.username = "****";
  return parsed.href;
}
