import { KilnError } from "../core/index.js";

function unsafe(name: string, why: string): KilnError {
  return new KilnError("unsafeEntryPath", `Refusing archive entry ${JSON.stringify(name)}: ${why}`, {
    hint: "The archive tries to write outside its destination or uses a name that is not portable; do not install it",
  });
}

/**
 * Checks an archive entry name and returns it as a normalized relative path (`/`-separated, no
 * `.` or empty segments, no trailing slash), or throws naming the entry. Refused: empty names,
 * NUL and other control characters, backslashes (a separator on Windows, so `..\x` escapes there),
 * absolute paths, drive letters and any `..` segment, even one that would stay inside.
 *
 * @example
 * safeEntryPath("pkg/./sub//mod.py"); // "pkg/sub/mod.py"
 * safeEntryPath("../../etc/passwd");   // throws KilnError "unsafeEntryPath"
 */
export function safeEntryPath(name: string): string {
  if (name.length === 0) throw unsafe(name, "the name is empty");
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw unsafe(name, "the name contains a control character");
  if (name.includes("\\")) throw unsafe(name, "the name contains a backslash");
  if (name.startsWith("/")) throw unsafe(name, "the path is absolute");
  if (/^[A-Za-z]:/.test(name)) throw unsafe(name, "the path starts with a drive letter");
  const segments = name.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..")) throw unsafe(name, 'the path contains a ".." segment');
  if (segments.length === 0) throw unsafe(name, "the path names no file");
  return segments.join("/");
}
