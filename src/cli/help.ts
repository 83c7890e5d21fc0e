import type { CommandDefinition, OptionDefinition } from "./command.js";

/** Help text for one command, generated from its declaration. */
export function formatCommandHelp(command: CommandDefinition, path: string): string {
  const lines = [command.summary, "", `Usage: kiln ${path} ${command.usage ?? deriveUsage(command)}`.trimEnd()];
  if (command.description) lines.push("", command.description);
  if (command.subcommands?.length) {
    lines.push("", "Commands:", ...formatTable(visible(command.subcommands).map((c) => [c.name, c.summary])));
  }
  if (command.positionals?.length) {
    lines.push("", "Arguments:", ...formatTable(command.positionals.map((p) => [p.name.toUpperCase(), p.description])));
  }
  const options = [...command.options, helpOption];
  lines.push("", "Options:", ...formatTable(options.map((o) => [formatOptionName(o), o.description])));
  return `${lines.join("\n")}\n`;
}

/** What a command list shows of each command. */
export type ListedCommand = Pick<CommandDefinition, "name" | "summary" | "hidden">;

/** The top-level `kiln --help`. */
export function formatMainHelp(commands: ListedCommand[], version: string): string {
  const lines = [
    `kiln ${version}: Python on WebAssembly from the command line`,
    "",
    "Usage: kiln [--color auto|always|never] COMMAND [ARGS...]",
    "",
    "Commands:",
    ...formatTable(visible(commands).map((c) => [c.name, c.summary])),
    "",
    "Options:",
    ...formatTable([
      ["-h, --help", "Show help (also: kiln COMMAND --help)"],
      ["-V, --version", "Print kiln's version"],
      ["--color WHEN", "Colour output: auto (default; a terminal without NO_COLOR), always, never"],
    ]),
  ];
  return `${lines.join("\n")}\n`;
}

const helpOption: OptionDefinition = { name: "help", short: "h", type: "boolean", description: "Show this help" };

function visible<T extends ListedCommand>(commands: T[]): T[] {
  return commands.filter((c) => !c.hidden);
}

function deriveUsage(command: CommandDefinition): string {
  if (command.subcommands?.length && !command.run) return "COMMAND [OPTIONS]";
  const positionals = (command.positionals ?? []).map((p) => {
    const name = p.name.toUpperCase() + (p.variadic ? "..." : "");
    return p.required ? name : `[${name}]`;
  });
  return ["[OPTIONS]", ...positionals].join(" ");
}

function formatOptionName(option: OptionDefinition): string {
  const value = option.type === "string" ? ` ${option.valueName ?? "VALUE"}` : "";
  return `${option.short ? `-${option.short}, ` : "    "}--${option.name}${value}`;
}

function formatTable(rows: string[][]): string[] {
  const width = Math.min(32, Math.max(0, ...rows.map((r) => r[0]!.length)));
  return rows.map(([left, right]) => `  ${left!.padEnd(width)}  ${right}`);
}
