/**
 * The top-level commands, loaded lazily.
 *
 * Each invocation of kiln runs one command, so it loads only that command's module: `kiln run`
 * must not pay for the resolver, installer, audit or build code (they cost 0.1-0.4 s of module
 * loading per call). This list holds the light part of each command: its name and summary, for
 * `kiln --help` and for dispatch, and `load`, a dynamic import of the command's module, whose
 * `defineCommand` declaration (options, positionals, subcommands, `run`) drives its own help,
 * argument parsing and run.
 *
 * To add a command: write `commands/NAME.ts` exporting its `defineCommand(...)`, then add an entry
 * here with the same name and summary (`test/cli-commands.test.ts` checks that they agree).
 * A command file should stay cheap to import, so that `kiln NAME --help` stays fast: import heavy
 * workflows inside `run` (`const { x } = await import("../../installer/index.js")`), as
 * `run.ts` and `venv.ts` do. Never import a command module statically from here or from
 * `main.ts`.
 */
import type { CommandDefinition } from "../command.js";

/** A top-level command as `kiln --help` lists it, with the loader of its full declaration. */
export interface CommandEntry {
  name: string;
  summary: string;
  hidden?: boolean;
  /** Imports the command's module and returns its declaration. */
  load(): Promise<CommandDefinition>;
}

/** Every top-level command, in the order `kiln --help` lists them. */
export const commands: CommandEntry[] = [
  {
    name: "run",
    summary: "Run Python on WebAssembly, with python3's command line",
    load: async () => (await import("./run.js")).runCommand,
  },
  {
    name: "venv",
    summary: "Create a virtual environment whose python runs on WebAssembly",
    load: async () => (await import("./venv.js")).venvCommand,
  },
  {
    name: "test",
    summary: "Run a project's test suite on WebAssembly runtimes, as CI would",
    load: async () => (await import("./test.js")).testCommand,
  },
  {
    name: "lock",
    summary: "Resolve requirements for the WASM runtime and write a lock file",
    load: async () => (await import("./lock.js")).lockCommand,
  },
  {
    name: "pip",
    summary: "pip for the WASM runtime: install, uninstall, list, freeze, show, check, download, sync, compile",
    load: async () => (await import("./pip.js")).pipCommand,
  },
  {
    name: "audit",
    summary: "Check a WASM wheel: will it load in a runtime, and what can it reach",
    load: async () => (await import("./audit.js")).auditCommand,
  },
  {
    name: "cache",
    summary: "Show, measure, clean or prune kiln's cache",
    load: async () => (await import("./cache.js")).cacheCommand,
  },
  {
    name: "build",
    summary: "Build a wheel and/or sdist of a project, with its PEP 517 backend running on WASM",
    load: async () => (await import("./build.js")).buildCommand,
  },
];
