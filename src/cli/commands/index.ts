import type { CommandDefinition } from "../command.js";
import { auditCommand } from "./audit.js";
import { buildCommand } from "./build.js";
import { cacheCommand } from "./cache.js";
import { lockCommand } from "./lock.js";
import { pipCommand } from "./pip.js";
import { runCommand } from "./run.js";
import { testCommand } from "./test.js";
import { venvCommand } from "./venv.js";

/** Every top-level command, in the order `kiln --help` lists them. */
export const commands: CommandDefinition[] = [runCommand, venvCommand, testCommand, lockCommand, pipCommand, auditCommand, cacheCommand, buildCommand];
