import { KilnError } from "../core/index.js";

/** What a Python command line asks to run, after the interpreter options. */
export type PythonMain =
  | { kind: "command"; value: string }
  | { kind: "module"; value: string }
  | { kind: "script"; value: string }
  /** `-` or no script at all: a program on stdin, or the REPL when stdin is a terminal. */
  | { kind: "stdin" };

/** A `python3` command line, parsed the way CPython's `Python/getopt.c` and `initconfig.c` do. */
export interface PythonCommandLine {
  /**
   * The interpreter options, normalised (`-uc` becomes `-u`), to hand to the runtime's own start-up:
   * they set `sys.flags`, warning filters and `-X` options exactly as CPython does.
   */
  interpreterOptions: string[];
  main: PythonMain;
  /** `sys.argv` as CPython sets it before running (`-m` is replaced by runpy later). */
  argv: string[];
  /**
   * The `-W` options in order. They are applied per process rather than at start-up, because
   * `-W error` would turn warnings inside Pyodide's own start-up into errors.
   */
  warnOptions: string[];
  /** `-i`: enter the REPL after the main part. */
  inspect: boolean;
  /** `-x`: skip the script's first line. */
  skipFirstLine: boolean;
  /** `-I` */
  isolated: boolean;
  /** `-E` or `-I`: ignore `PYTHON*` variables. */
  ignoreEnvironment: boolean;
  /** `-B` */
  dontWriteBytecode: boolean;
  /** `-h`/`--help` or `-V`/`--version` (counted: `-VV` shows the full version). */
  action?: { kind: "help" } | { kind: "version"; level: number };
}

/**
 * Whether a process writes no bytecode (CPython's `sys.dont_write_bytecode`): with `-B`, or with
 * `PYTHONDONTWRITEBYTECODE` set to a non-empty string unless `-E`/`-I` ignore the environment.
 * CPython still reads `.pyc` files then; it only writes none.
 *
 * @example
 * writesNoBytecode(parsePythonCommandLine(["-B", "-c", "pass"]), {}); // true
 */
export function writesNoBytecode(commandLine: PythonCommandLine, env: Record<string, string | undefined>): boolean {
  return commandLine.dontWriteBytecode || (!commandLine.ignoreEnvironment && (env.PYTHONDONTWRITEBYTECODE ?? "") !== "");
}

// Short options of CPython 3.14; a colon marks an option that takes an argument.
const shortOptions = "bBc:dEhiIm:OPqRsStuvVW:xX:?";
const longOptions: Record<string, boolean> = {
  "check-hash-based-pycs": true,
  "help-all": false,
  "help-env": false,
  "help-xoptions": false,
  help: false,
  version: false,
};
const handledHere = new Set(["c", "m", "h", "?", "V", "x"]);

/**
 * Parses the arguments after `python3` (or `kiln run`) into what to run and with which options.
 * Throws a `pythonUsage` KilnError with CPython's own message for bad usage (exit status 2).
 *
 * @example
 * parsePythonCommandLine(["-u", "-m", "http.server", "8000"]);
 * // { interpreterOptions: ["-u"], main: { kind: "module", value: "http.server" }, argv: ["-m", "8000"], ... }
 */
export function parsePythonCommandLine(args: string[]): PythonCommandLine {
  const parsed: PythonCommandLine = {
    interpreterOptions: [],
    warnOptions: [],
    main: { kind: "stdin" },
    argv: [""],
    inspect: false,
    skipFirstLine: false,
    isolated: false,
    ignoreEnvironment: false,
    dontWriteBytecode: false,
  };
  let index = 0;
  while (index < args.length) {
    const argument = args[index]!;
    if (argument === "--") {
      index++;
      break;
    }
    if (!argument.startsWith("-") || argument === "-") break;
    if (argument.startsWith("--")) {
      index = takeLongOption(args, index, parsed);
      continue;
    }
    const taken = takeShortGroup(args, index, parsed);
    if (taken.stop) return finish(parsed, args.slice(taken.next));
    index = taken.next;
  }
  const script = args[index];
  if (script !== undefined && script !== "-") parsed.main = { kind: "script", value: script };
  parsed.argv = script === undefined ? [""] : [script, ...args.slice(index + 1)];
  return parsed;
}

function finish(parsed: PythonCommandLine, rest: string[]): PythonCommandLine {
  parsed.argv = [parsed.main.kind === "command" ? "-c" : "-m", ...rest];
  return parsed;
}

function takeLongOption(args: string[], index: number, parsed: PythonCommandLine): number {
  const [name, inline] = splitOnce(args[index]!.slice(2), "=");
  const takesArgument = longOptions[name];
  if (takesArgument === undefined) throw pythonUsage(`unknown option ${args[index]}`);
  if (name === "help" || name.startsWith("help-")) parsed.action = { kind: "help" };
  else if (name === "version") parsed.action = { kind: "version", level: versionLevel(parsed) + 1 };
  if (!takesArgument) return index + 1;
  const value = inline ?? args[index + 1];
  if (value === undefined) throw pythonUsage(`Argument expected for the --${name} option`);
  parsed.interpreterOptions.push(`--${name}=${value}`);
  return inline === undefined ? index + 2 : index + 1;
}

function takeShortGroup(args: string[], index: number, parsed: PythonCommandLine): { next: number; stop: boolean } {
  const group = args[index]!.slice(1);
  for (let position = 0; position < group.length; position++) {
    const letter = group[position]!;
    const spec = shortOptions.indexOf(letter);
    if (spec === -1 || letter === ":") throw pythonUsage(`Unknown option: -${letter}`);
    if (shortOptions[spec + 1] !== ":") {
      applyFlag(letter, parsed);
      continue;
    }
    const attached = group.slice(position + 1);
    const value = attached !== "" ? attached : args[index + 1];
    if (value === undefined) throw pythonUsage(`Argument expected for the -${letter} option`);
    const next = attached !== "" ? index + 1 : index + 2;
    if (letter === "c") {
      parsed.main = { kind: "command", value: `${value}\n` };
      return { next, stop: true };
    }
    if (letter === "m") {
      parsed.main = { kind: "module", value };
      return { next, stop: true };
    }
    if (letter === "W") parsed.warnOptions.push(value);
    else parsed.interpreterOptions.push(`-${letter}`, value);
    return { next, stop: false };
  }
  return { next: index + 1, stop: false };
}

function applyFlag(letter: string, parsed: PythonCommandLine): void {
  if (letter === "h" || letter === "?") parsed.action = { kind: "help" };
  else if (letter === "V") parsed.action = { kind: "version", level: versionLevel(parsed) + 1 };
  else if (letter === "x") parsed.skipFirstLine = true;
  if (letter === "i") parsed.inspect = true;
  if (letter === "I") parsed.isolated = parsed.ignoreEnvironment = true;
  if (letter === "E") parsed.ignoreEnvironment = true;
  if (letter === "B") parsed.dontWriteBytecode = true;
  if (!handledHere.has(letter)) parsed.interpreterOptions.push(`-${letter}`);
}

function versionLevel(parsed: PythonCommandLine): number {
  return parsed.action?.kind === "version" ? parsed.action.level : 0;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function pythonUsage(message: string): KilnError {
  return new KilnError("pythonUsage", message, { hint: "Try `python -h' for more information." });
}

/**
 * CPython's usage error text for `message`, as `python3` prints it to stderr before exiting 2.
 *
 * @example
 * formatPythonUsageError("Unknown option: -z", "/usr/bin/python3");
 */
export function formatPythonUsageError(message: string, executable: string): string {
  return `${message}\nusage: ${executable} [option] ... [-c cmd | -m mod | file | -] [arg] ...\nTry \`python -h' for more information.\n`;
}
