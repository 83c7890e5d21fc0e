import type { Credentials } from "../index/index.js";

/** Parsed `.netrc`: credentials per machine, and the `default` entry. */
export interface Netrc {
  machines: Map<string, Credentials>;
  default?: Credentials;
}

/**
 * Parses a `.netrc` file as Python's `netrc` module and curl read it: whitespace-separated
 * tokens `machine NAME`, `default`, `login`, `password`, `account`; `macdef` bodies (up to a
 * blank line) are skipped; `#` starts a comment at the start of a token. Quoted tokens are
 * accepted. Machines without a password are ignored.
 *
 * @example
 * parseNetrc("machine pypi.example.org login me password s3cret").machines.get("pypi.example.org");
 * // { username: "me", password: "s3cret" }
 */
export function parseNetrc(text: string): Netrc {
  const tokens = tokenize(text);
  const result: Netrc = { machines: new Map() };
  let current: { host?: string; isDefault: boolean; login?: string; password?: string } | undefined;
  const flush = () => {
    if (current?.password === undefined) return;
    const credentials = { username: current.login ?? "", password: current.password };
    if (current.isDefault) result.default ??= credentials;
    else if (current.host && !result.machines.has(current.host)) result.machines.set(current.host, credentials);
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === "machine" || token === "default") {
      flush();
      current = token === "default" ? { isDefault: true } : { host: tokens[++i]?.toLowerCase(), isDefault: false };
    } else if (token === "login" && current) current.login = tokens[++i];
    else if (token === "password" && current) current.password = tokens[++i];
    else if (token === "account") i++;
  }
  flush();
  return result;
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let l = 0; l < lines.length; l++) {
    const pattern = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
    let match: RegExpExecArray | null;
    let macro = false;
    while ((match = pattern.exec(lines[l]!))) {
      const raw = match[2];
      if (raw?.startsWith("#")) break;
      const token = match[1] !== undefined ? match[1].replace(/\\(.)/g, "$1") : raw!;
      if (token === "macdef") {
        macro = true;
        break;
      }
      tokens.push(token);
    }
    if (macro) while (l + 1 < lines.length && lines[l + 1]!.trim() !== "") l++;
  }
  return tokens;
}

/**
 * The credentials `.netrc` gives for a URL's host (then its `default` entry).
 *
 * @example
 * netrcCredentials(parseNetrc(text), new URL("https://pypi.example.org/simple/"));
 */
export function netrcCredentials(netrc: Netrc, url: URL): Credentials | undefined {
  return netrc.machines.get(url.hostname.toLowerCase()) ?? netrc.default;
}
