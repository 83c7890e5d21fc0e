import { KilnError } from "../core/index.js";
import type { EntryPoint } from "../metadata/index.js";

const encoder = new TextEncoder();

/**
 * The first lines of a script that `/bin/sh` runs by exec-ing `python` on the same file, and that
 * Python reads as a harmless string: a shebang pointing at a *script* interpreter (kiln's
 * `bin/python` launcher) is not honoured everywhere (macOS refuses it), and a path with spaces
 * cannot go in a shebang at all. distlib uses the same polyglot for long shebangs.
 *
 * @example
 * shellPolyglotHeader("/env/bin/python");
 * // "#!/bin/sh\n'''exec' \"/env/bin/python\" \"$0\" \"$@\"\n' '''\n"
 */
export function shellPolyglotHeader(python: string): string {
  if (/["$`\\\n\r]|'''/.test(python)) {
    throw new KilnError("invalidInstallScheme", `Cannot write launchers for interpreter "${python}": the path contains characters a shell launcher cannot quote`, {
      hint: "Create the environment at a path without quotes, $, backticks or backslashes",
    });
  }
  return `#!/bin/sh\n'''exec' "${python}" "$0" "$@"\n' '''\n`;
}

/**
 * A console-script (or GUI-script) launcher for `bin/<name>`: runs the entry point through the
 * environment's `python` from any shell, with no kiln on PATH.
 *
 * @example
 * entryPointLauncher({ group: "console_scripts", name: "pytest", module: "pytest", attr: "console_main", extras: [] }, "/env/bin/python");
 */
export function entryPointLauncher(entryPoint: EntryPoint, python: string): Uint8Array {
  if (entryPoint.attr === undefined) {
    throw new KilnError("invalidEntryPoints", `Cannot create script "${entryPoint.name}": entry point "${entryPoint.module}" names no function`, {
      hint: 'Script entry points look like "module:function"',
    });
  }
  const importName = entryPoint.attr.split(".")[0]!;
  const body = [
    "# -*- coding: utf-8 -*-",
    "import sys",
    `from ${entryPoint.module} import ${importName}`,
    'if __name__ == "__main__":',
    '    if sys.argv[0].endswith(".exe"):',
    "        sys.argv[0] = sys.argv[0][:-4]",
    `    sys.exit(${entryPoint.attr}())`,
    "",
  ].join("\n");
  return encoder.encode(shellPolyglotHeader(python) + body);
}

/**
 * Rewrites a wheel script's `#!python` (or `#!pythonw`) first line to run with `python`; other
 * scripts are returned unchanged (https://packaging.python.org/en/latest/specifications/binary-distribution-format/#recommended-installer-features).
 *
 * @example
 * rewritePythonShebang(new TextEncoder().encode("#!python\nprint(1)\n"), "/env/bin/python");
 */
export function rewritePythonShebang(script: Uint8Array, python: string): Uint8Array {
  const prefix = [0x23, 0x21, 0x70, 0x79, 0x74, 0x68, 0x6f, 0x6e]; // "#!python"
  if (!prefix.every((byte, i) => script[i] === byte)) return script;
  let end = script.indexOf(0x0a);
  if (end < 0) end = script.length;
  const firstLine = new TextDecoder().decode(script.subarray(0, end)).replace(/\r$/, "");
  const match = /^#!pythonw?(?:\s+(.*))?$/.exec(firstLine);
  if (match === null) return script;
  // Interpreter options on the #! line must survive; the polyglot passes them before the script.
  const options = match[1]?.trim();
  const header = options ? shellPolyglotHeader(python).replace('"$0"', `${options.split(/\s+/).map((o) => `'${o.replace(/'/g, "")}'`).join(" ")} "$0"`) : shellPolyglotHeader(python);
  const rest = script.subarray(Math.min(end + 1, script.length));
  const head = encoder.encode(header);
  const result = new Uint8Array(head.length + rest.length);
  result.set(head);
  result.set(rest, head.length);
  return result;
}
