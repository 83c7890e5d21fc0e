/** The command line: argument parsing, help, output, one file per command. Node-only. */
export { runCli, kilnVersion, type CliEnvironment } from "./main.js";
export { defineCommand, jsonOption, type CommandDefinition, type CommandContext } from "./command.js";
export { Output, describeError } from "./output.js";
export { parseArguments } from "./parse-arguments.js";
