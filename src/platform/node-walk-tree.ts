import { lstatSync, readdirSync, type Stats } from "node:fs";
import { join } from "node:path";

/** What {@link walkTree} calls. */
export interface TreeVisitor {
  /** Each file (or symbolic link, not followed) below the directory. */
  file(path: string, name: string, stat: Stats): void;
  /** Each directory below the directory, after its contents were visited. */
  leftDirectory?(path: string): void;
}

/**
 * Visits a directory tree depth first, without following symbolic links; an unreadable directory
 * (or one removed meanwhile) counts as empty, so a cache being changed by another kiln is walked
 * as far as it still stands.
 *
 * @example
 * let bytes = 0;
 * walkTree(join(cacheDir, "bytecode"), { file: (_path, _name, stat) => (bytes += stat.size) });
 */
export function walkTree(directory: string, visitor: TreeVisitor): void {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(directory, name);
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (stat === undefined) continue;
    if (stat.isDirectory()) {
      walkTree(path, visitor);
      visitor.leftDirectory?.(path);
    } else {
      visitor.file(path, name, stat);
    }
  }
}
