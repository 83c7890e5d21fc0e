import { KilnError } from "../core/index.js";
import { errorCode, type InstallFileSystem } from "./install-file-system.js";
import { isInside, joinPath, parentPath } from "./paths.js";

/** What a directory of the environment is: real (or a link that stays inside), missing, or a link out (where it leads). */
type DirectoryState = "inside" | "missing" | { outside: string };

/**
 * Finds directories of an environment that are reached through a symbolic link leading out of
 * it (`site-packages/foo -> /etc`). Containment checked on the path text alone would let an
 * install write, and an uninstall delete, `/etc/...` through such a link; so the installer asks
 * where each directory it writes into or deletes from really is. Cheap, as it sits on every
 * install: each directory between the prefix and the one asked is looked at once (an lstat,
 * memoized for every directory on the way, not only the asked one); nothing below a missing
 * directory is (what kiln creates is real); only a link is resolved, and then the prefix, once.
 * On a file system without {@link InstallFileSystem.realPath} (no links: in memory) nothing is
 * outside.
 *
 * @example
 * const outside = linkedOutside(fs, "/env");
 * await outside("/env/lib/python3.14/site-packages/foo/bar"); // "/etc" when foo -> /etc, else undefined
 */
export function linkedOutside(fs: InstallFileSystem, prefix: string): (directory: string) => Promise<string | undefined> {
  if (fs.realPath === undefined) return async () => undefined;
  const root = joinPath(prefix);
  let realRoot: Promise<string> | undefined;
  const states = new Map<string, Promise<DirectoryState>>();
  const stateOf = (directory: string): Promise<DirectoryState> => {
    if (directory === root || !isInside(root, directory)) return Promise.resolve("inside");
    let state = states.get(directory);
    if (state === undefined) {
      state = stateOf(parentPath(directory)).then(async (above) => {
        if (above !== "inside") return above;
        const stat = await fs.stat(directory);
        // A file where a directory is wanted is staging's conflict to report.
        if (stat === undefined || stat.kind === "file") return "missing";
        if (stat.kind === "directory") return "inside";
        const real = await resolveLink(fs, directory);
        realRoot ??= fs.realPath!(root);
        return real !== undefined && isInside(await realRoot, real) ? "inside" : { outside: real ?? `${directory} (a link to nothing)` };
      });
      states.set(directory, state);
    }
    return state;
  };
  return async (directory) => {
    const state = await stateOf(joinPath(directory));
    return typeof state === "object" ? state.outside : undefined;
  };
}

/** Where a link leads, or undefined for a dangling one. */
async function resolveLink(fs: InstallFileSystem, path: string): Promise<string | undefined> {
  try {
    return joinPath(await fs.realPath!(path));
  } catch (error) {
    if (errorCode(error) === "ENOENT" || errorCode(error) === "ELOOP") return undefined;
    throw error;
  }
}

/**
 * The error for an operation refused because its directory leads outside the environment.
 *
 * @example
 * throw linkedOutsideError("install", "/env/lib/python3.14/site-packages/foo/x.py", "/etc");
 */
export function linkedOutsideError(action: "install" | "remove", target: string, real: string): KilnError {
  return new KilnError("linkedOutside", `Cannot ${action} "${target}": its directory is a symbolic link (or lies below one) that leads outside the environment, to "${real}"`, {
    hint: "kiln does not write or delete through links that leave the environment; remove the link (or replace it with a real directory) and try again",
  });
}

/**
 * Throws {@link linkedOutsideError} for the first operation whose directory leads outside the
 * environment: the last check before a transaction touches the environment.
 *
 * @example
 * await refuseLinkedOutside(fs, "/env", [{ target: "/env/lib/python3.14/site-packages/foo/x.py", install: true }]);
 */
export async function refuseLinkedOutside(fs: InstallFileSystem, prefix: string, operations: readonly { target: string; install: boolean }[]): Promise<void> {
  const outside = linkedOutside(fs, prefix);
  const checked = new Set<string>();
  for (const { target, install } of operations) {
    const directory = parentPath(target);
    if (checked.has(directory)) continue;
    checked.add(directory);
    const real = await outside(directory);
    if (real !== undefined) throw linkedOutsideError(install ? "install" : "remove", target, real);
  }
}
