import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/**
 * Every file under `root` with its mode and sha256, as sorted `path mode hash` lines, so two
 * states of an environment compare with one assertion. Skips kiln's own `.kiln-install` state.
 *
 * @example
 * assert.deepEqual(environmentSnapshot(dir), before);
 */
export function environmentSnapshot(root: string): string[] {
  const lines: string[] = [];
  const walk = (directory: string) => {
    for (const name of readdirSync(directory)) {
      const path = join(directory, name);
      const stat = lstatSync(path);
      const shown = relative(root, path);
      if (shown === ".kiln-install") continue;
      if (stat.isDirectory()) {
        lines.push(`${shown}/ dir`);
        walk(path);
      } else {
        lines.push(`${shown} ${(stat.mode & 0o777).toString(8)} ${createHash("sha256").update(readFileSync(path)).digest("hex")}`);
      }
    }
  };
  walk(root);
  return lines.sort();
}
