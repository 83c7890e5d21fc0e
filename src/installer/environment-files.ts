import { isInterpreterName } from "../metadata/index.js";
import { installStateDirectory } from "./environment-lock.js";
import type { InstallScheme } from "./install-scheme.js";
import { isInside, joinPath, parentPath } from "./paths.js";

/**
 * What the environment itself owns at `target`, when it is one of the files no distribution may
 * install: kiln's install state (lock and journal, which the next install trusts), `pyvenv.cfg`,
 * and the interpreter launchers beside the scheme's `python`. pip would let a wheel's
 * `.data/data/pyvenv.cfg` or a console script named `python` replace them, which leaves an
 * environment that no longer starts; a planted journal is worse (recovery renames the paths it
 * names). Returns undefined for every other path.
 *
 * @example
 * environmentFileRole(venvScheme("/env", "3.14"), "/env/pyvenv.cfg"); // "the environment's configuration"
 * environmentFileRole(venvScheme("/env", "3.14"), "/env/bin/pytest"); // undefined
 */
export function environmentFileRole(scheme: InstallScheme, target: string): string | undefined {
  const path = joinPath(target);
  if (isInside(joinPath(scheme.prefix, installStateDirectory), path)) return "kiln's install lock and journal";
  if (path === joinPath(scheme.prefix, "pyvenv.cfg")) return "the environment's configuration";
  const python = joinPath(scheme.python);
  if (path === python || (parentPath(path) === parentPath(python) && isInterpreterName(path.slice(path.lastIndexOf("/") + 1)))) {
    return "the environment's interpreter";
  }
  return undefined;
}
