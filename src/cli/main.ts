import { readFileSync } from "node:fs";
import { KilnError, isKilnError } from "../core/index.js";
import type { CommandDefinition } from "./command.js";
import { checkCommandCacheDir } from "./command-cache-dir.js";
import { commands, type CommandEntry } from "./commands/index.js";
import { formatCommandHelp, formatMainHelp } from "./help.js";
import { Output, type TextSink } from "./output.js";
import { parseArguments } from "./parse-arguments.js";

/** Where a CLI invocation reads and writes; the real process or a test double. */
export interface CliEnvironment {
  stdout: TextSink;
  stderr: TextSink;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Where commands read answers to questions; process.stdin when absent. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** kiln's version, from its package.json. */
export const kilnVersion: string = JSON.parse(
  readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
).version;

/**
 * Runs the kiln command line and returns the exit code: 0 success, 2 usage errors, otherwise
 * what the command returns (1 for errors it reports).
 *
 * @example
 * const code = await runCli(["--version"], { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
 */
export async function runCli(argv: string[], environment: CliEnvironment): Promise<number> {
  let output = new Output(environment);
  try {
    const { color, rest } = takeGlobalOptions(argv);
    output = new Output({ ...environment, color });
    return await dispatch(rest, environment, output);
  } catch (error) {
    output.error(error);
    return isKilnError(error, "usage") || isKilnError(error, "unknownCommand") ? 2 : 1;
  }
}

async function dispatch(argv: string[], environment: CliEnvironment, output: Output): Promise<number> {
  const first = argv[0];
  if (first === undefined || first === "-h" || first === "--help") {
    output.stdout.write(formatMainHelp(commands, kilnVersion));
    return first === undefined ? 2 : 0;
  }
  if (first === "-V" || first === "--version") {
    output.line(`kiln ${kilnVersion}`);
    return 0;
  }
  if (first === "help") return showHelp(argv.slice(1), output);
  // Only the command that runs is loaded: see commands/index.ts.
  let command = await findCommand(commands, first, "").load();
  let path = command.name;
  let index = 1;
  while (command.subcommands?.length && argv[index] !== undefined && !argv[index]!.startsWith("-")) {
    command = findCommand(command.subcommands, argv[index]!, path);
    path += ` ${command.name}`;
    index++;
  }
  const args = argv.slice(index);
  const beforeRest = args.includes("--") ? args.slice(0, args.indexOf("--")) : args;
  const wantsHelp = args[0] === "--help" || args[0] === "-h";
  if (wantsHelp || (!command.passThrough && (beforeRest.includes("--help") || beforeRest.includes("-h")))) {
    output.stdout.write(formatCommandHelp(command, path));
    return 0;
  }
  if (!command.run) {
    output.stderr.write(formatCommandHelp(command, path));
    return 2;
  }
  const parsed = parseArguments(command, args, path);
  checkCommandCacheDir({ arguments: parsed, env: environment.env, cwd: environment.cwd });
  return command.run({ arguments: parsed, output, env: environment.env, cwd: environment.cwd, ...(environment.stdin ? { stdin: environment.stdin } : {}) });
}

async function showHelp(names: string[], output: Output): Promise<number> {
  let command: CommandDefinition | undefined;
  let path = "";
  for (const name of names) {
    command = command ? findCommand(command.subcommands ?? [], name, path) : await findCommand(commands, name, path).load();
    path = path ? `${path} ${command.name}` : command.name;
  }
  output.stdout.write(command ? formatCommandHelp(command, path) : formatMainHelp(commands, kilnVersion));
  return 0;
}

function findCommand<T extends CommandDefinition | CommandEntry>(list: T[], name: string, parent: string): T {
  const found = list.find((c) => c.name === name);
  if (found) return found;
  const where = parent ? `kiln ${parent}` : "kiln";
  const near = list.filter((c) => !c.hidden && closeEnough(c.name, name)).map((c) => c.name);
  throw new KilnError("unknownCommand", `"${where}" has no command "${name}"`, {
    hint: near.length ? `Did you mean "${where} ${near[0]}"?` : `Run "${where} --help" to list its commands`,
  });
}

function closeEnough(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a) || editDistance(a, b) <= 2;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

function takeGlobalOptions(argv: string[]): { color: "auto" | "always" | "never"; rest: string[] } {
  let color: "auto" | "always" | "never" = "auto";
  let index = 0;
  for (; index < argv.length; index++) {
    const argument = argv[index]!;
    const value = argument.startsWith("--color=") ? argument.slice(8) : argument === "--color" ? argv[++index] : undefined;
    if (value === undefined) break;
    if (value !== "auto" && value !== "always" && value !== "never") {
      throw new KilnError("usage", `--color takes auto, always or never, not "${value}"`);
    }
    color = value;
  }
  return { color, rest: argv.slice(index) };
}
