import { KilnError } from "../core/index.js";
import type { TarEntry } from "./open-tar.js";

function unsafeLink(archive: string, path: string, why: string): KilnError {
  return new KilnError("unsafeEntryPath", `Refusing tar archive "${archive}": ${JSON.stringify(path)} ${why}`, {
    hint: "The archive tries to write or point outside its destination; do not use it",
  });
}

/**
 * Checks that no symbolic link can lead outside the archive once extracted. A link's target is
 * walked from the link's directory: it must not be absolute, climb above the archive's root, or
 * pass through another link on the way (a link's real destination is only known on disk, so a
 * `..` after a link could climb anywhere). No entry may sit below a link either, since writing
 * it would follow the link. Links to links are fine: each is checked on its own.
 *
 * @example
 * checkTarLinks(archive.entries, "pkg-1.0.tar.gz");
 */
export function checkTarLinks(entries: TarEntry[], archive: string): void {
  const links = new Set(entries.filter((entry) => entry.type === "symlink").map((entry) => entry.path));
  if (links.size === 0) return;
  for (const entry of entries) {
    const parts = entry.path.split("/");
    for (let i = 1; i < parts.length; i++) {
      if (links.has(parts.slice(0, i).join("/"))) throw unsafeLink(archive, entry.path, "lies below a symbolic link");
    }
    if (entry.type === "symlink") checkTarget(entry, links, archive);
  }
}

function checkTarget(entry: TarEntry, links: Set<string>, archive: string): void {
  const target = entry.linkTarget!;
  if (target.startsWith("/") || /^[A-Za-z]:/.test(target) || target.includes("\\") || target.includes("\0")) {
    throw unsafeLink(archive, entry.path, `is a link to the absolute or non-portable path ${JSON.stringify(target)}`);
  }
  const where = entry.path.split("/").slice(0, -1);
  const steps = target.split("/").filter((step) => step !== "" && step !== ".");
  steps.forEach((step, index) => {
    if (step === "..") {
      if (where.length === 0) throw unsafeLink(archive, entry.path, `is a link to ${JSON.stringify(target)}, outside the archive`);
      where.pop();
      return;
    }
    where.push(step);
    if (index < steps.length - 1 && links.has(where.join("/"))) {
      throw unsafeLink(archive, entry.path, `is a link to ${JSON.stringify(target)}, which passes through another link`);
    }
  });
}
