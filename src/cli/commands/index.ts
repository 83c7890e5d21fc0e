import type { CommandDefinition } from "../command.js";
import { auditCommand } from "./audit.js";
import { cacheCommand } from "./cache.js";

/** Every top-level command, in the order `kiln --help` lists them. */
export const commands: CommandDefinition[] = [auditCommand, cacheCommand];
