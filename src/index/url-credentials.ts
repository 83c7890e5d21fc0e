/** A user name and password for HTTP basic authentication. */
export interface Credentials {
  username: string;
  password: string;
}

/**
 * Splits `user:password@` out of a URL (percent-decoded), as pip accepts in `--index-url`:
 * fetch refuses URLs with credentials, and they must not be logged.
 *
 * @example
 * splitUrlCredentials("https://me:s%40cret@example.org/simple/");
 * // { url: "https://example.org/simple/", credentials: { username: "me", password: "s@cret" } }
 */
export function splitUrlCredentials(url: string): { url: string; credentials?: Credentials } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url };
  }
  if (!parsed.username && !parsed.password) return { url };
  const credentials = { username: safeDecode(parsed.username), password: safeDecode(parsed.password) };
  parsed.username = "";
  parsed.password = "";
  return { url: parsed.href, credentials };
}

/**
 * The `Authorization` header value for basic authentication (UTF-8, RFC 7617).
 *
 * @example
 * basicAuthorization({ username: "me", password: "pw" }); // "Basic bWU6cHc="
 */
export function basicAuthorization(credentials: Credentials): string {
  const bytes = new TextEncoder().encode(`${credentials.username}:${credentials.password}`);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
