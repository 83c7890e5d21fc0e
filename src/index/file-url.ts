/**
 * Resolves a link from an index page against the page URL and splits off the hash fragment,
 * refusing schemes an index must not point to: only `http:` and `https:`, and `file:` only on a
 * page that is itself a local file (a remote page must not make kiln read local files).
 *
 * @example
 * resolveFileUrl("../../packages/x-1.0.tar.gz#sha256=ab", "https://example.org/simple/x/");
 * // { url: "https://example.org/packages/x-1.0.tar.gz", hashes: { sha256: "ab" }, filename: "x-1.0.tar.gz" }
 */
export function resolveFileUrl(
  href: string,
  base: string,
): { url: string; hashes: Record<string, string>; filename: string } | undefined {
  let resolved: URL;
  try {
    resolved = new URL(href.trim(), base);
  } catch {
    return undefined;
  }
  const scheme = resolved.protocol;
  if (scheme !== "http:" && scheme !== "https:" && !(scheme === "file:" && base.startsWith("file:"))) return undefined;
  const hashes = parseHashFragment(resolved.hash);
  resolved.hash = "";
  const filename = urlFileName(resolved);
  if (filename === undefined) return undefined;
  return { url: resolved.href, hashes, filename };
}

/** `#sha256=ABC` → `{ sha256: "abc" }`; anything else → `{}`. */
function parseHashFragment(fragment: string): Record<string, string> {
  const match = /^#([A-Za-z0-9_-]+)=([0-9A-Fa-f]+)$/.exec(fragment);
  return match ? { [match[1]!.toLowerCase()]: match[2]!.toLowerCase() } : {};
}

/**
 * The file name a URL ends in, percent-decoded, or undefined when it is not a plain file name
 * (see {@link isSafeFilename}: an escaped `/` or NUL) or its escapes are malformed (`%zz`), where
 * `decodeURIComponent` would throw. URLs from indexes, locks and the command line are untrusted.
 *
 * @example
 * urlFileName(new URL("https://h.test/p/demo%2B-1.0.tar.gz")); // "demo+-1.0.tar.gz"
 * urlFileName(new URL("https://h.test/p/..%2Fx.whl")); // undefined
 */
export function urlFileName(url: URL): string | undefined {
  const segment = url.pathname.split("/").pop() ?? "";
  let name: string;
  try {
    name = decodeURIComponent(segment);
  } catch {
    return undefined;
  }
  return isSafeFilename(name) ? name : undefined;
}

/**
 * True for a plain file name: not empty, no path separators, not `.` or `..`, no control
 * characters. Index pages are untrusted input and file names end up in paths and messages.
 *
 * @example
 * isSafeFilename("x-1.0.tar.gz"); // true
 * isSafeFilename("../x.whl"); // false
 */
export function isSafeFilename(name: string): boolean {
  return name !== "" && name !== "." && name !== ".." && !/[/\\\u0000-\u001f\u007f]/.test(name);
}
