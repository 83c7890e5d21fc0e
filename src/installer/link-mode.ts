import { KilnError } from "../core/index.js";

/**
 * How files come from the unpacked-wheel cache into an environment: `hardlink` (the default on
 * Linux, as uv's: installed files share their inodes with the cache, so an install costs a link
 * per file and no space) or `copy` (independent files; slower, for when installed files will be
 * edited in place or the cache may be deleted underneath hard links).
 */
export type LinkMode = "hardlink" | "copy";

/** The link modes kiln knows, in the order help lists them. */
export const linkModes: readonly LinkMode[] = ["hardlink", "copy"];

/**
 * Parses `--link-mode` or `KILN_LINK_MODE`.
 *
 * @example
 * parseLinkMode("copy", "--link-mode"); // "copy"
 */
export function parseLinkMode(text: string, origin: string): LinkMode {
  const value = text.trim().toLowerCase();
  if ((linkModes as readonly string[]).includes(value)) return value as LinkMode;
  throw new KilnError("usage", `Cannot use ${origin} "${text}": not a link mode`, { hint: `Use one of: ${linkModes.join(", ")}` });
}

/** Error codes of a failed hard link after which copying is the right fallback. */
const copyInstead = new Set(["EXDEV", "EPERM", "EMLINK", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EACCES"]);

/**
 * True when a hard link failed for a reason a copy avoids: another device, a file system
 * without hard links, a per-inode link limit, permissions on the cache's files.
 *
 * @example
 * shouldCopyInstead(Object.assign(new Error("x"), { code: "EXDEV" })); // true
 */
export function shouldCopyInstead(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && copyInstead.has(code);
}
