import { KilnError } from "../core/index.js";
import type { CommandDefinition, OptionDefinition, ParsedArguments } from "./command.js";

/**
 * Parses `argv` (the arguments after the command name) against a command's declarations.
 *
 * Accepts `--name value`, `--name=value`, `-x value`, `-xvalue`, grouped short flags (`-qy`),
 * repeated options and `--` (everything after it goes to `rest`). Throws a `usage` error that
 * names the offending argument and the command by `path` (`pip install` for a subcommand).
 *
 * @example
 * parseArguments(installCommand, ["--upgrade", "pytest"], "pip install").options.upgrade; // true
 */
export function parseArguments(declared: CommandDefinition, argv: string[], path: string = declared.name): ParsedArguments {
  // The helpers name the command in their messages by its name: for a subcommand, its whole path.
  const command = path === declared.name ? declared : { ...declared, name: path };
  const parsed: ParsedArguments = { options: {}, positionals: {}, rest: [] };
  if (command.passThrough) {
    parsed.rest = [...argv];
    return parsed;
  }
  const loose: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument === "--") {
      parsed.rest = argv.slice(index + 1);
      break;
    }
    if (argument.startsWith("--")) {
      const [name, inline] = splitInline(argument.slice(2));
      const option = findOption(command, (o) => o.name === name, argument);
      if (option.type === "string" && inline === undefined) index = takeValue(argv, index, option, parsed);
      else setOption(command, parsed, option, inline);
    } else if (argument.startsWith("-") && argument.length > 1) {
      index = parseShortGroup(command, argv, index, parsed);
    } else {
      loose.push(argument);
    }
  }
  assignPositionals(command, loose, parsed);
  return parsed;
}

function parseShortGroup(command: CommandDefinition, argv: string[], index: number, parsed: ParsedArguments): number {
  const group = argv[index]!.slice(1);
  for (let position = 0; position < group.length; position++) {
    const option = findOption(command, (o) => o.short === group[position], `-${group[position]}`);
    if (option.type === "boolean") {
      setOption(command, parsed, option, undefined);
      continue;
    }
    const attached = group.slice(position + 1);
    if (attached !== "") {
      setOption(command, parsed, option, attached);
      return index;
    }
    return takeValue(argv, index, option, parsed, command);
  }
  return index;
}

function takeValue(
  argv: string[],
  index: number,
  option: OptionDefinition,
  parsed: ParsedArguments,
  command?: CommandDefinition,
): number {
  const value = argv[index + 1];
  if (value === undefined) {
    throw new KilnError("usage", `Option --${option.name} needs a value`, {
      hint: `Give it as --${option.name} ${option.valueName ?? "VALUE"}`,
    });
  }
  setOption(command, parsed, option, value);
  return index + 1;
}

function splitInline(text: string): [string, string | undefined] {
  const equals = text.indexOf("=");
  return equals === -1 ? [text, undefined] : [text.slice(0, equals), text.slice(equals + 1)];
}

function findOption(
  command: CommandDefinition,
  predicate: (option: OptionDefinition) => boolean,
  spelled: string,
): OptionDefinition {
  const option = command.options.find(predicate);
  if (option === undefined) {
    throw new KilnError("usage", `Unknown option ${spelled} for "kiln ${command.name}"`, {
      hint: `Run "kiln ${command.name} --help" to see its options`,
    });
  }
  return option;
}

function setOption(
  command: CommandDefinition | undefined,
  parsed: ParsedArguments,
  option: OptionDefinition,
  value: string | undefined,
): void {
  if (option.type === "boolean") {
    if (value !== undefined) {
      throw new KilnError("usage", `Option --${option.name} takes no value, but was given "${value}"`, {
        hint: command ? `Run "kiln ${command.name} --help"` : undefined,
      });
    }
    const previous = parsed.options[option.name];
    parsed.options[option.name] = option.multiple ? (typeof previous === "number" ? previous : 0) + 1 : true;
    return;
  }
  if (option.multiple) {
    const previous = parsed.options[option.name];
    parsed.options[option.name] = [...(Array.isArray(previous) ? previous : []), value!];
  } else {
    parsed.options[option.name] = value;
  }
}

function assignPositionals(command: CommandDefinition, loose: string[], parsed: ParsedArguments): void {
  const declared = command.positionals ?? [];
  let next = 0;
  for (const positional of declared) {
    if (positional.variadic) {
      parsed.positionals[positional.name] = loose.slice(next);
      next = loose.length;
    } else if (next < loose.length) {
      parsed.positionals[positional.name] = loose[next++];
    }
    const value = parsed.positionals[positional.name];
    const missing = value === undefined || (Array.isArray(value) && value.length === 0);
    if (positional.required && missing) {
      throw new KilnError("usage", `"kiln ${command.name}" needs ${positional.name.toUpperCase()}`, {
        hint: `Run "kiln ${command.name} --help" for its usage`,
      });
    }
  }
  if (next < loose.length) {
    throw new KilnError("usage", `Unexpected argument "${loose[next]}" for "kiln ${command.name}"`, {
      hint: `Run "kiln ${command.name} --help" for its usage`,
    });
  }
}
