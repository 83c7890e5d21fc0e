import { KilnError } from "../../core/index.js";
import type { CommandContext, CommandDefinition } from "../command.js";

/**
 * pip options that pip also takes from `PIP_<OPTION>` environment variables and that kiln
 * honours the same way (index options are read with the index settings, `PIP_NO_COMPILE` by
 * pip-compile.ts). Flags of pip's `--no-x` form whose variables pip reads inverted are left out.
 */
const fromEnvironment = new Set([
  "require-hashes",
  "pre",
  "no-deps",
  "upgrade",
  "upgrade-strategy",
  "force-reinstall",
  "dry-run",
  "only-binary",
  "no-binary",
  "prefer-binary",
  "yes",
  "quiet",
  "verbose",
  "no-input",
  "exclude",
  "exclude-editable",
  "not-required",
  "format",
]);

const truthy = new Set(["y", "yes", "t", "true", "on", "1"]);
const falsy = new Set(["n", "no", "f", "false", "off", "0"]);

/**
 * Fills options the command line left unset from pip's environment variables, as pip does
 * (`PIP_REQUIRE_HASHES=1` turns on hash-checking mode in CI, `PIP_PRE=1` allows pre-releases, …):
 * flags from yes/no words, `-q`/`-v` counts from a number, lists split on white space. A value
 * pip would refuse is refused naming the variable.
 *
 * @example
 * applyPipEnvironmentOptions(context, pipInstallCommand); // PIP_NO_DEPS=1 → options["no-deps"] = true
 */
export function applyPipEnvironmentOptions(context: CommandContext, command: Pick<CommandDefinition, "options">): void {
  const options = context.arguments.options;
  for (const option of command.options) {
    if (!fromEnvironment.has(option.name) || options[option.name] !== undefined) continue;
    const variable = `PIP_${option.name.toUpperCase().replace(/-/g, "_")}`;
    const value = context.env[variable];
    if (value === undefined || value === "") continue;
    if (option.type === "string") {
      options[option.name] = option.multiple ? value.split(/\s+/).filter(Boolean) : value;
      continue;
    }
    const word = value.trim().toLowerCase();
    if (option.multiple && /^\d+$/.test(word)) options[option.name] = Number(word);
    else if (truthy.has(word)) options[option.name] = option.multiple ? 1 : true;
    else if (falsy.has(word)) options[option.name] = option.multiple ? 0 : false;
    else throw new KilnError("usage", `${variable}="${value}" is not a valid value for --${option.name}`, { hint: "Use 1/true/yes/on or 0/false/no/off" });
  }
}
