import { KilnError } from "../core/index.js";

/** One entry point: `name = module:attr [extras]`. */
export interface EntryPoint {
  group: string;
  name: string;
  module: string;
  /** Dotted attribute path inside the module; absent for module-only entry points. */
  attr?: string;
  extras: string[];
}

function entryPointsError(line: number, why: string): KilnError {
  return new KilnError("invalidEntryPoints", `Cannot parse entry_points.txt line ${line}: ${why}`, {
    hint: "Lines look like `name = module:function [extra]` under a `[group]` header; the wheel was built by a broken tool",
  });
}

/** The groups installers turn into scripts in the environment's scripts directory. */
const scriptGroups = new Set(["console_scripts", "gui_scripts"]);
/** `python`, `python3`, `python3.14`: the names a virtual environment gives its interpreter. */
const interpreterName = /^python(?:3(?:\.\d+)?)?$/;

const valuePattern = /^([\w.]+)\s*(?::\s*([\w.]+)\s*)?(?:\[([^\]]*)\]\s*)?$/u;

/**
 * Parses an `entry_points.txt` (https://packaging.python.org/en/latest/specifications/entry-points/#file-format)
 * the way `importlib.metadata` reads it: `[group]` headers, `name = value` split at the first
 * `=`, lines starting with `#` or `;` ignored.
 *
 * @example
 * parseEntryPoints("[console_scripts]\npytest = pytest:console_main\n");
 * // [{ group: "console_scripts", name: "pytest", module: "pytest", attr: "console_main", extras: [] }]
 */
export function parseEntryPoints(text: string): EntryPoint[] {
  const result: EntryPoint[] = [];
  let group: string | undefined;
  for (const [index, raw] of text.split(/\r\n|\r|\n/).entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    if (line.startsWith("[") && line.endsWith("]")) {
      group = line.slice(1, -1).trim();
      continue;
    }
    if (group === undefined) throw entryPointsError(index + 1, `"${line}" comes before any [group] header`);
    const equals = line.indexOf("=");
    if (equals < 0) throw entryPointsError(index + 1, `expected "name = value", found "${line}"`);
    const name = line.slice(0, equals).trim();
    const value = line.slice(equals + 1).trim();
    const match = valuePattern.exec(value);
    if (name === "" || match === null) throw entryPointsError(index + 1, `"${line}" is not "name = module:attr [extras]"`);
    const entry: EntryPoint = {
      group,
      name,
      module: match[1]!,
      extras: (match[3] ?? "").split(",").map((extra) => extra.trim()).filter(Boolean),
    };
    if (match[2] !== undefined) entry.attr = match[2];
    result.push(entry);
  }
  return result;
}

/**
 * The `console_scripts` and `gui_scripts` entry points of an `entry_points.txt`, for which an
 * installer writes launchers: the one check of a wheel's scripts the installer and `kiln audit`
 * share. Throws `invalidEntryPoints` for a file {@link parseEntryPoints} refuses, and for a
 * script name that is not a plain file name (`../x` would be written outside the scripts
 * directory); `source` names the wheel in the message.
 *
 * @example
 * parseScriptEntryPoints("[console_scripts]\npytest = pytest:console_main\n", "pytest-8.0-py3-none-any.whl").map((e) => e.name); // ["pytest"]
 */
export function parseScriptEntryPoints(text: string, source: string): EntryPoint[] {
  const scripts = parseEntryPoints(text).filter((entryPoint) => scriptGroups.has(entryPoint.group));
  for (const { name } of scripts) {
    if (!/^[^/\\\0]+$/.test(name) || name === "." || name === "..") {
      throw new KilnError("invalidEntryPoints", `Cannot install ${source}: script name "${name}" is not a file name`, {
        hint: "Script names in [console_scripts] and [gui_scripts] are file names; the wheel was built by a broken tool",
      });
    }
  }
  return scripts;
}

/**
 * Whether a script name is one a virtual environment gives its interpreter (`python`,
 * `python3`, `python3.14`): a wheel's script of that name would replace it.
 *
 * @example
 * isInterpreterName("python3.14"); // true
 * isInterpreterName("pytest"); // false
 */
export function isInterpreterName(name: string): boolean {
  return interpreterName.test(name);
}
