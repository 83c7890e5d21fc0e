import type { Output } from "./output.js";

/** One option of a command, as declared; help text and parsing both come from this. */
export interface OptionDefinition {
  /** Long name without dashes: `json` for `--json`. */
  name: string;
  /** One-letter alias without the dash: `q` for `-q`. */
  short?: string;
  /** A flag takes no value; a string option takes one. */
  type: "boolean" | "string";
  /** May be given more than once (values collect into an array; flags count). */
  multiple?: boolean;
  /** Placeholder in help: `--index-url URL`. */
  valueName?: string;
  description: string;
}

/** One positional argument, as declared. */
export interface PositionalDefinition {
  name: string;
  description: string;
  required?: boolean;
  /** Takes every remaining positional. Only the last one may be variadic. */
  variadic?: boolean;
}

/** The parsed command line handed to a command. */
export interface ParsedArguments {
  /** Option values by long name: string, string[], boolean or a count for repeated flags. */
  options: Record<string, string | string[] | boolean | number | undefined>;
  /** Positional values by declared name (variadic ones as arrays). */
  positionals: Record<string, string | string[] | undefined>;
  /** Everything after `--`, or every argument for a pass-through command. */
  rest: string[];
}

/** What a command gets to do its job. */
export interface CommandContext {
  arguments: ParsedArguments;
  output: Output;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Where a command reads answers to its questions (pip uninstall's "Proceed (Y/n)?"); process.stdin when absent. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

/**
 * A command, declared as data. The CLI generates help and parses arguments from it, then calls
 * `run`, which returns the exit code.
 *
 * @example
 * export const versionCommand = defineCommand({
 *   name: "version",
 *   summary: "Print kiln's version",
 *   options: [],
 *   run: async ({ output }) => { output.line("0.1.0"); return 0; },
 * });
 */
export interface CommandDefinition {
  name: string;
  summary: string;
  /** Longer text shown under the usage line in `kiln NAME --help`. */
  description?: string;
  /** Usage line after `kiln NAME`; derived from the declarations when absent. */
  usage?: string;
  options: OptionDefinition[];
  positionals?: PositionalDefinition[];
  /**
   * Hand every argument after the command name to `rest` unparsed (like `kiln run`, whose
   * arguments follow python's own rules). `--help` as the first argument still shows help.
   */
  passThrough?: boolean;
  /** Subcommands, such as `kiln cache dir`. */
  subcommands?: CommandDefinition[];
  /** Hidden commands work but are left out of `kiln --help`. */
  hidden?: boolean;
  run?: (context: CommandContext) => Promise<number>;
}

/** Identity function that gives a command definition its type. */
export function defineCommand(definition: CommandDefinition): CommandDefinition {
  return definition;
}

/** The option every command that returns data accepts. */
export const jsonOption: OptionDefinition = {
  name: "json",
  type: "boolean",
  description: "Print the result as JSON on stdout",
};
