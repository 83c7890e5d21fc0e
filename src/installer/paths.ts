// POSIX path helpers for the isomorphic installer: environment paths are absolute and
// `/`-separated on every host kiln's installer targets (Node on POSIX, Emscripten's FS).

/** `.` or `..` segments, doubled slashes, or a trailing slash. */
const needsNormalizing = /(?:^|\/)\.{1,2}(?:\/|$)|\/\/|.\/$/;

/**
 * Joins and normalizes path parts, resolving `.` and `..` lexically.
 *
 * @example
 * joinPath("/env/lib", "../bin", "tool"); // "/env/bin/tool"
 */
export function joinPath(...parts: string[]): string {
  const joined = parts.length === 1 ? parts[0]! : parts.filter((part) => part !== "").join("/");
  // Most paths are already normal; an install joins thousands of them.
  if (joined !== "" && !needsNormalizing.test(joined)) return joined;
  const absolute = joined.startsWith("/");
  const segments: string[] = [];
  for (const segment of joined.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (segments.length > 0 && segments.at(-1) !== "..") segments.pop();
      else if (!absolute) segments.push("..");
      continue;
    }
    segments.push(segment);
  }
  const body = segments.join("/");
  return absolute ? `/${body}` : body || ".";
}

/**
 * The directory containing `path`.
 *
 * @example
 * parentPath("/env/bin/tool"); // "/env/bin"
 */
export function parentPath(path: string): string {
  const normal = joinPath(path);
  // The common case, an absolute path, without the ".." round trip through normalization.
  if (!normal.startsWith("/")) return joinPath(normal, "..");
  const slash = normal.lastIndexOf("/");
  return slash === 0 ? "/" : normal.slice(0, slash);
}

/**
 * The last segment of `path`.
 *
 * @example
 * baseName("/env/bin/tool"); // "tool"
 */
export function baseName(path: string): string {
  return joinPath(path).split("/").at(-1)!;
}

/**
 * True when `path` is `root` or inside it (lexically).
 *
 * @example
 * isInside("/env", "/env/lib/x"); // true
 */
export function isInside(root: string, path: string): boolean {
  const base = joinPath(root);
  const target = joinPath(path);
  return target === base || target.startsWith(base === "/" ? "/" : `${base}/`);
}

/**
 * The relative path from directory `from` to `to`, as RECORD writes paths outside site-packages.
 *
 * @example
 * relativePath("/env/lib/python3.14/site-packages", "/env/bin/pytest"); // "../../../bin/pytest"
 */
export function relativePath(from: string, to: string): string {
  const base = joinPath(from);
  const target = joinPath(to);
  if (target.startsWith(`${base}/`) && base !== "/") return target.slice(base.length + 1);
  const a = joinPath(from).split("/").filter(Boolean);
  const b = joinPath(to).split("/").filter(Boolean);
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return [...Array(a.length - common).fill(".."), ...b.slice(common)].join("/") || ".";
}
